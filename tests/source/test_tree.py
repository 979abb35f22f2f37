"""tree: polyglot serialisation and element surgery."""

from __future__ import annotations

from lxml import etree

from book.source.tree import remove, serialize, text_of, unwrap


def test_serialize_closes_empty_elements_for_html_parsers() -> None:
    element = etree.fromstring('<p><span/><br/><img src="x"/><a id="x"/></p>')
    assert serialize(element) == '<p><span></span><br/><img src="x"/><a id="x"></a></p>'


def test_serialize_leaves_svg_alone() -> None:
    element = etree.fromstring('<div><svg xmlns="http://www.w3.org/2000/svg"><rect/></svg></div>')
    assert "<rect/>" in serialize(element)


def test_remove_keeps_following_text() -> None:
    element = etree.fromstring("<p>a<b>x</b>tail<i>y</i>more</p>")
    remove(element[0])
    remove(element[0])
    assert etree.tostring(element, encoding="unicode") == "<p>atailmore</p>"


def test_unwrap_and_text_of() -> None:
    element = etree.fromstring('<p>see <a href="x">the <em>map</em></a> now</p>')
    unwrap(element[0])
    assert (
        etree.tostring(element, encoding="unicode")
        == "<p>see <span>the <em>map</em></span> now</p>"
    )
    assert text_of(element) == "see the map now"
