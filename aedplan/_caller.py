"""How aedplan warns: in words a run can say in its own language, pointing at the
first line outside aedplan, the caller's own."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

from .errors import AedplanWarning

_PACKAGE = str(Path(__file__).resolve().parent)


def caller_level() -> int:
    """The ``stacklevel`` of :func:`warnings.warn` that names the first frame outside
    aedplan: the line of the caller's own code that led to the warning, however deep in
    aedplan it was raised. Call it in the call of ``warnings.warn``."""
    frame = sys._getframe(1)  # the function that warns: stacklevel 1
    level = 1
    while frame is not None and _ours(frame):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def _ours(frame: Any) -> bool:
    """A frame of aedplan's: in its files, or the ``__init__`` that ``dataclasses`` wrote
    for one of its classes (whose file is ``<string>``)."""
    name = frame.f_code.co_filename
    if name == "<string>":
        owner = type(frame.f_locals.get("self", None))
        return owner.__module__.startswith("aedplan.") and frame.f_code.co_name == "__init__"
    return str(Path(name).resolve()).startswith(_PACKAGE)


def warn(template: str, /, **values: Any) -> None:
    """Warn ``template`` (English, with its Chinese in :mod:`aedplan._words`) filled with
    ``values``, at the caller's own line."""
    warnings.warn(AedplanWarning(template, **values), stacklevel=caller_level())
