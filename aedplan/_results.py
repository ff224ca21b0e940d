"""What every result type shares: read-only arrays, read-only reports, frames that are
copied out, and a short HTML view for notebooks."""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from dataclasses import fields
from typing import Any, NoReturn

import numpy as np

_READ_ONLY = ("is read-only; `copy.deepcopy(...)` of it gives a plain copy to change")


class ReadOnlyDict(dict):  # type: ignore[type-arg]
    """A dict that refuses changes (a result's report, its files): it reads, compares,
    prints and writes to JSON as a dict; ``copy.deepcopy`` gives a plain, changeable
    copy."""

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(f"this mapping {_READ_ONLY}.")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __copy__(self) -> dict[Any, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return thawed(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return frozen, (thawed(self),)


class ReadOnlyList(list):  # type: ignore[type-arg]
    """A list that refuses changes (a list inside a result's report)."""

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(f"this list {_READ_ONLY}.")

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = extend = insert = pop = remove = clear = sort = reverse = _refuse

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return thawed(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return frozen, (thawed(self),)


def frozen(value: Any) -> Any:
    """``value`` made read-only all the way down: dicts and lists (a report) refuse
    changes, arrays are read-only views; a value frozen already is returned as it is.

    >>> r = frozen({"plan": {"sites": [1, 2]}})
    >>> r == {"plan": {"sites": [1, 2]}}, isinstance(r, dict)
    (True, True)
    >>> r["plan"]["sites"].append(3)
    Traceback (most recent call last):
    TypeError: this list is read-only; `copy.deepcopy(...)` of it gives a plain copy to change.
    """
    if isinstance(value, (ReadOnlyDict, ReadOnlyList)):
        return value
    if isinstance(value, dict):
        return ReadOnlyDict({k: frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return ReadOnlyList(frozen(v) for v in value)
    if isinstance(value, tuple):
        return tuple(frozen(v) for v in value)
    return readonly(value)


def thawed(value: Any) -> Any:
    """A plain, changeable deep copy of a value :func:`frozen` made (arrays copied)."""
    if isinstance(value, dict):
        return {k: thawed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [thawed(v) for v in value]
    if isinstance(value, tuple):
        return tuple(thawed(v) for v in value)
    if isinstance(value, np.ndarray):
        return value.copy()
    return value


class CopiesOut(Mapping[str, Any]):
    """A read-only mapping of frames (GeoDataFrames, DataFrames) that hands out a copy
    of each on every access, so that what a result holds cannot be changed through it."""

    def __init__(self, items: Mapping[str, Any]) -> None:
        self._items = dict(items)

    def __getitem__(self, key: str) -> Any:
        value = self._items[key]
        return value.copy() if hasattr(value, "copy") else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"CopiesOut({', '.join(self._items)})"


def copies_out(items: Mapping[str, Any]) -> CopiesOut:
    """``items`` as a :class:`CopiesOut` (as it is when it is one already)."""
    return items if isinstance(items, CopiesOut) else CopiesOut(items)


def readonly(value: Any) -> Any:
    """A read-only view of a numpy array; any other value as it is."""
    if isinstance(value, np.ndarray):
        view = value.view()
        view.setflags(write=False)
        return view
    return value


def freeze_arrays(obj: Any) -> None:
    """Make every numpy array field of a frozen dataclass read-only (in ``__post_init__``)."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, np.ndarray):
            object.__setattr__(obj, f.name, readonly(value))


def html_table(title: str, rows: Mapping[str, Any]) -> str:
    """A small two-column table with a heading, every value escaped."""
    body = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(str(k))}</th>"
        f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>"
        for k, v in rows.items()
    )
    return f"<div><strong>{html.escape(title)}</strong><table>{body}</table></div>"
