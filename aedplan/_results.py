"""What every result type shares: read-only arrays and a short HTML view for notebooks."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

import numpy as np


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
