"""Putting a wrapper in the place of one of WeasyPrint's functions, and the
guards that check the function is still the one the wrapper was written for.

WeasyPrint's modules import each other's functions by name (``from
..layout.percent import resolve_percentages``), so a wrapper must replace
the function in every module that holds it, not only in its own.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any


def put_in_place(
    wrapper: Callable[..., Any],
    original: Callable[..., Any],
    name: str,
    modules: Iterable[str],
    mark: str,
) -> None:
    """Mark ``wrapper`` (``mark``, and ``octavo_original``: the function it
    wraps) and put it as ``name`` in each of WeasyPrint's ``modules`` (as
    ``"layout.inline"``) that holds ``original`` under that name."""
    setattr(wrapper, mark, True)
    wrapper.octavo_original = original  # type: ignore[attr-defined]
    for dotted in modules:
        try:
            module = importlib.import_module(f"weasyprint.{dotted}")
        except ImportError:
            continue
        if getattr(module, name, None) is original:
            setattr(module, name, wrapper)


def takes(function: object, *parameters: str) -> bool:
    """``function`` is a Python function whose parameters are named
    ``parameters``, in that order (a guard: a wrapper passes them on)."""
    code = getattr(function, "__code__", None)
    if code is None:
        return False
    count = code.co_argcount + code.co_kwonlyargcount
    return tuple(code.co_varnames[:count]) == parameters


def uses(function: object, *names: str) -> bool:
    """``function``'s code reads or calls each of ``names`` (globals,
    attributes): a guard that what a wrapper relies on is still there."""
    code = getattr(function, "__code__", None)
    return code is not None and set(names) <= set(code.co_names)
