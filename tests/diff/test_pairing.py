"""Pairing, verdicts and the summary of ``book diff``, over page records made here."""

from __future__ import annotations

from book.diff.pairing import (
    Change,
    Chapter,
    Page,
    PageDiff,
    Pair,
    Word,
    align,
    chapter_list,
    compare_words,
    judge,
    merged,
    ranges,
    summary,
)

TEXT = (
    "the frontier between Manchukuo and the Soviet Far East ran for thousands of kilometres "
    "through marsh forest and steppe and nobody agreed exactly where it lay"
)
LOREM = TEXT.split(" ")


def words(text: str, line: float = 0.0) -> tuple[Word, ...]:
    """Words laid out on one line, 10 points apart."""
    return tuple(
        Word(w, ((10.0 * i, line, 10.0 * i + 8, line + 10),)) for i, w in enumerate(text.split())
    )


def page(number: int, text: str, folio: str = "", chapter: Chapter | None = None) -> Page:
    return Page(number, words(text), folio, (0, 600, 10, 610) if folio else None, chapter)


def book(*texts: str) -> list[Page]:
    """Pages numbered from 1, each with its folio."""
    return [page(i, text, str(i)) for i, text in enumerate(texts, 1)]


def distinct(n: int) -> list[str]:
    """``n`` page texts that share no words with each other."""
    return [" ".join(f"p{i}w{j}" for j in range(40)) for i in range(n)]


def numbers(pairs: tuple[Pair, ...]) -> list[tuple[int | None, int | None]]:
    return [(p.old.number if p.old else None, p.new.number if p.new else None) for p in pairs]


# --- align ---------------------------------------------------------------------------------


def test_identical_editions_pair_page_for_page() -> None:
    texts = distinct(5)
    assert numbers(align(book(*texts), book(*texts))) == [(i, i) for i in range(1, 6)]


def test_an_inserted_page_is_added_and_later_pages_keep_their_partners() -> None:
    texts = distinct(6)
    new = [*texts[:2], "an entirely new page about something else", *texts[2:]]
    pairs = align(book(*texts), book(*new))
    assert numbers(pairs) == [(1, 1), (2, 2), (None, 3), (3, 4), (4, 5), (5, 6), (6, 7)]
    verdicts = [judge(p).change for p in pairs]
    assert verdicts == [Change.SAME, Change.SAME, Change.ADDED] + [Change.MOVED] * 4


def test_a_deleted_page_is_removed() -> None:
    texts = distinct(5)
    pairs = align(book(*texts), book(*texts[:1], *texts[2:]))
    assert numbers(pairs) == [(1, 1), (2, None), (3, 2), (4, 3), (5, 4)]
    assert judge(pairs[1]).change is Change.REMOVED


def test_an_edited_page_pairs_with_its_old_self() -> None:
    texts = distinct(4)
    edited = texts[2].replace("p2w7", "changed")
    pairs = align(book(*texts), book(*texts[:2], edited, texts[3]))
    assert numbers(pairs) == [(1, 1), (2, 2), (3, 3), (4, 4)]
    assert [judge(p).change for p in pairs] == [
        Change.SAME,
        Change.SAME,
        Change.CHANGED,
        Change.SAME,
    ]


def test_edited_and_inserted_pages_pair_by_similarity() -> None:
    texts = distinct(3)
    edited = texts[1].replace("p1w0", "first")
    new = [texts[0], "an unrelated page", edited, texts[2]]
    assert numbers(align(book(*texts), book(*new))) == [(1, 1), (None, 2), (2, 3), (3, 4)]


def test_reflowed_pages_pair_in_order() -> None:
    """An edit that pushes words onto the following pages changes each of them a little."""
    old_words = " ".join(f"w{i}" for i in range(120)).split()
    old = book(*(" ".join(old_words[i : i + 40]) for i in range(0, 120, 40)))
    new_words = ["inserted", "words", *old_words]
    new = book(*(" ".join(new_words[i : i + 40]) for i in range(0, 122, 40)))
    pairs = align(old, new)
    assert numbers(pairs) == [(1, 1), (2, 2), (3, 3), (None, 4)]
    assert all(judge(p).change is Change.CHANGED for p in pairs[:3])


def test_blank_pages_pair_with_blank_pages() -> None:
    texts = distinct(2)
    old = book(texts[0], "", texts[1], "")
    new = book(texts[0], "", texts[1], "")
    assert [judge(p).change for p in align(old, new)] == [Change.SAME] * 4


def test_unrelated_pages_are_not_paired() -> None:
    pairs = align(book("alpha beta gamma delta"), book("one two three four"))
    assert numbers(pairs) == [(1, None), (None, 1)]


# --- judge ---------------------------------------------------------------------------------


def test_only_a_new_folio_is_a_move() -> None:
    assert (
        judge(Pair(page(3, "same words", "3"), page(4, "same words", "4"))).change is Change.MOVED
    )


def test_pixels_that_differ_make_a_change_and_are_marked() -> None:
    box = (1.0, 2.0, 3.0, 4.0)
    diff = judge(Pair(page(3, "same words", "3"), page(3, "same words", "3")), (box,))
    assert diff.change is Change.CHANGED
    assert diff.new_marks == (box,)


def test_changed_words_are_marked_on_both_sides() -> None:
    old = page(1, " ".join(LOREM))
    new = page(1, " ".join(LOREM).replace("exactly where", "precisely where"))
    diff = judge(Pair(old, new))
    assert diff.change is Change.CHANGED
    assert diff.old_marks == old.words[LOREM.index("exactly")].boxes
    assert diff.new_marks == new.words[LOREM.index("exactly")].boxes
    kinds = [(s.kind, s.text) for s in diff.segments]
    assert ("delete", "exactly") in kinds
    assert ("insert", "precisely") in kinds


def test_the_word_diff_keeps_a_little_context() -> None:
    old = words(" ".join(LOREM))
    new = words(" ".join([*LOREM[:-1], "lies"]))
    _, _, segments = compare_words(old, new, context=3)
    assert [s.kind for s in segments] == ["gap", "equal", "delete", "insert"]
    assert segments[1].text == "exactly where it"


def test_neighbouring_marks_on_a_line_merge() -> None:
    first, second, far = (0.0, 0.0, 8.0, 10.0), (10.0, 0.0, 18.0, 10.0), (60.0, 0.0, 68.0, 10.0)
    below = (0.0, 20.0, 8.0, 30.0)
    assert merged([first, second, far, below]) == [(0.0, 0.0, 18.0, 10.0), far, below]


# --- summary -------------------------------------------------------------------------------

TWO = Chapter("Two Hills above Lake Khasan", "Chapter 2", 10)
THREE = Chapter("The River in the Steppe", "Chapter 3", 18)
APPENDIX = Chapter("How this book was made", "Appendix A", 40)
CONTENTS = Chapter("Contents", "", 2)


def test_summary_names_pages_and_chapters() -> None:
    diffs = [
        PageDiff(page(1, "a", chapter=TWO), page(1, "b", chapter=TWO), Change.CHANGED),
        PageDiff(page(2, "a", chapter=TWO), page(2, "b", chapter=TWO), Change.CHANGED),
        PageDiff(None, page(3, "c", chapter=THREE), Change.ADDED),
        PageDiff(page(3, "d", "3"), page(4, "d", "4"), Change.MOVED),
    ]
    line = summary(diffs, 214)
    assert line == "3 of 214 pages changed (1 more only renumbered); chapters 2, 3"


def test_summary_of_identical_editions() -> None:
    diffs = [PageDiff(page(1, "a"), page(1, "a"), Change.SAME)]
    assert summary(diffs, 1) == "no differences: 1 page alike"


def test_summary_counts_removed_pages_apart() -> None:
    diffs = [PageDiff(page(5, "x", chapter=APPENDIX), None, Change.REMOVED)]
    assert summary(diffs, 43) == "0 of 43 pages changed, 1 removed; appendix A"


def test_chapter_list_groups_labels_and_keeps_titles() -> None:
    assert chapter_list([CONTENTS, TWO, None, TWO, APPENDIX]) == "Contents; chapter 2; appendix A"


def test_ranges() -> None:
    assert ranges([9, 3, 4, 5, 12, 13]) == "3\u20135, 9, 12\u201313"
    assert ranges([]) == ""


def test_a_long_run_of_changed_pages_is_paired_along_its_diagonal() -> None:
    """Every page edited (as when the trim size changes): pairs stay in place, quickly."""
    texts = distinct(300)
    pairs = align(book(*texts), book(*(t.replace("w0 ", "edited ") for t in texts)))
    assert numbers(pairs) == [(i, i) for i in range(1, 301)]


def test_words_shared_by_chance_inside_a_rewrite_are_not_kept() -> None:
    old = words("it began when a small party of guards moved onto the hill that night")
    new = words("it began when a new page of text moved onto the hill that night")
    _, new_marks, segments = compare_words(old, new)
    assert [(s.kind, s.text) for s in segments if s.kind != "equal"] == [
        ("delete", "small party of guards"),
        ("insert", "new page of text"),
    ]
    assert new_marks == ((40.0, 0.0, 78.0, 10.0),)  # one mark over four neighbouring words
