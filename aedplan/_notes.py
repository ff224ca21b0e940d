"""What a run tells its reader beside the numbers: notes in the run's language, the
warnings of its steps recorded for the report, and each step timed."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from ._words import Words
from .errors import AedplanError, AedplanWarning, Phrase


@dataclass
class Notes:
    """What a run tells its reader beside the numbers, kept as phrases (said in the run's
    language once it is known: a run may follow its data's)."""

    words: Words = field(default_factory=Words)
    phrases: list[Phrase] = field(default_factory=list)

    def add(self, template: str, **values: Any) -> None:
        """Note ``template`` (English, as :mod:`aedplan._words` knows it), filled in
        (values may be :class:`Phrase`)."""
        self.phrases.append(Phrase(template, values))

    @property
    def items(self) -> list[str]:
        """The notes in the language of ``words``."""
        return [p.said(self.words) for p in self.phrases]


class Heard:
    """aedplan's warnings recorded by :func:`recording`: ``heard()`` gives them, once
    each; :meth:`speak` sets the language they are warned again in."""

    def __init__(self, reword: Callable[[str], str]) -> None:
        self.caught: list[warnings.WarningMessage] = []
        self.reword = reword
        self.lookup: Callable[[str], str] | None = None

    def __call__(self) -> list[AedplanWarning]:
        ours = {str(w.message): w.message.again(edit=self.reword) for w in self.caught
                if isinstance(w.message, AedplanWarning)}
        return list(ours.values())

    def speak(self, lookup: Callable[[str], str]) -> None:
        """Warn them again in the language of ``lookup`` (a :class:`Words`)."""
        self.lookup = lookup

    def warn_again(self) -> None:
        """The recorded warnings, warned again (aedplan's ``reword``-ed, in the language
        spoken) where they arose."""
        for w in self.caught:
            message = w.message
            if isinstance(message, AedplanWarning):
                message = message.again(edit=self.reword, lookup=self.lookup)
            warnings.warn_explicit(message, w.category, w.filename, w.lineno)


def said(warned: Iterable[AedplanWarning], words: Words) -> list[str]:
    """Warnings as text in the language of ``words``, once each."""
    return list(dict.fromkeys(w.said(words) for w in warned))


@contextmanager
def recording(reword: Callable[[str], str] = str) -> Iterator[Heard]:
    """Record the warnings of a block and warn them all again, ``reword``-ed, when it
    ends (so a caller's own handling of warnings still sees them). Yields ``heard``:
    ``heard()`` is aedplan's warnings so far, once each."""
    heard = Heard(reword)
    try:
        with warnings.catch_warnings(record=True) as recorded:
            warnings.simplefilter("always")
            heard.caught = recorded
            yield heard
    except BaseException:  # the block's error is what the caller sees, not a warning of it
        with suppress(Warning):
            heard.warn_again()
        raise
    heard.warn_again()


@contextmanager
def as_argument(name: str, *, of: str = "source") -> Iterator[None]:
    """The readers name their input `source` (a stage its input ``of``: the coverage
    of `demand`); in a run it is the option ``name``, so their messages and warnings say
    so (```source``` and ```source=...``` alike)."""

    def reword(text: str) -> str:
        return text.replace(f"`{of}`", f"`{name}`").replace(f"`{of}=", f"`{name}=")

    try:
        with recording(reword):
            yield
    except AedplanError as exc:
        exc.edit(reword)
        raise


@contextmanager
def timed(step: Callable[..., Any], label: str, key: str, timings: dict[str, float]
          ) -> Iterator[None]:
    """A progress step that also records its time under ``key``."""
    start = time.perf_counter()
    with step(label, None):
        yield
    timings[key] = timings.get(key, 0.0) + time.perf_counter() - start


@contextmanager
def no_step(label: str, key: str | None = None) -> Iterator[None]:
    """A progress step that shows nothing."""
    yield


def say_nothing(text: str) -> None:
    """Remarks for the user, dropped."""
