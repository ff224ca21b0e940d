"""Errors and warnings raised by aedplan.

Every error a user can cause derives from :class:`AedplanError`; subclasses also
inherit the builtin they refine, so ``except ValueError`` keeps working.
The command line turns any ``AedplanError`` into one line and exit code 2.
An error and a warning are each kept as an English template and its values, so that a
run in Chinese says them in Chinese (:meth:`AedplanError.said`,
:meth:`AedplanWarning.said`; :class:`Phrase`, :class:`Joined` and :class:`Clause` are
words inside one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


class AedplanError(Exception):
    """Root of every error aedplan raises on purpose.

    ``AedplanError(template, **values)``, as :class:`AedplanWarning`: an English template
    and its values, said in English by ``str()`` and in the run's language once the run
    has spoken it (:meth:`speak`; a run in Chinese does, so its errors read in Chinese on
    the command line and in a notebook alike). A text without values is said as it is.

    >>> e = InputError("`{name}`: {n:,} rows have no place.", name="aeds", n=1200)
    >>> str(e), e.args
    ('`aeds`: 1,200 rows have no place.', ('`aeds`: 1,200 rows have no place.',))
    >>> e.edit(lambda text: text.replace("`aeds`", "`--aeds`"))
    >>> str(e)
    '`--aeds`: 1,200 rows have no place.'
    """

    def __init__(self, template: str = "", /, **values: Any) -> None:
        # args keep the English, as an exception's message has always been
        super().__init__(_filled(template, values, _as_written))
        self.template = template
        self.values = values
        self.edits: tuple[Callable[[str], str], ...] = ()
        self.lookup: Callable[[str], str] | None = None  # English until spoken

    def said(self, lookup: Callable[[str], str] | None = None) -> str:
        """The error in the language of ``lookup`` (a :class:`aedplan._words.Words`),
        else in the one it was spoken in, its edits made."""
        text = _filled(self.template, self.values, lookup or self.lookup or _as_written)
        for edit in self.edits:
            text = edit(text)
        return text

    def __str__(self) -> str:
        return self.said()

    def edit(self, edit: Callable[[str], str]) -> None:
        """Edit the text as it is said, in any language (the argument named as the
        caller knows it); for a handler that re-raises."""
        self.edits = (*self.edits, edit)
        self.args = (edit(str(self.args[0])), *self.args[1:]) if self.args else self.args

    def speak(self, lookup: Callable[[str], str]) -> None:
        """Say the error through ``lookup`` from now on (the run's language)."""
        self.lookup = lookup

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled (from a cluster's worker): an edit that is a closure of this process
        # cannot travel, so such an error travels as the text it says now
        import pickle

        state = dict(self.__dict__)
        try:
            pickle.dumps(self.edits)
        except (pickle.PicklingError, AttributeError, TypeError):
            state.update(template=self.said(), values={}, edits=())
        return (type(self), self.args, state)


class InputError(AedplanError, ValueError):
    """An argument or input file is not what aedplan expects."""


class CRSError(AedplanError, ValueError):
    """Coordinates are in an unexpected or mismatched coordinate reference system."""


class DataError(AedplanError, ValueError):
    """Input data is readable but unusable (empty network, no walkable ways, ...)."""


class InfeasibleError(AedplanError, RuntimeError):
    """An optimisation problem cannot be solved as posed (e.g. target coverage unreachable)."""


class SolverError(AedplanError, RuntimeError):
    """The MILP solver failed in a way that is not the user's input."""


class WriteError(AedplanError, OSError):
    """Results could not be written (a full disk, a name too long, a folder no longer
    writable); nothing was half-written."""


class ResourceError(AedplanError, MemoryError):
    """The problem as posed needs more memory than this machine can spare; the message
    says how to make it smaller."""


@dataclass(frozen=True)
class Phrase:
    """Words inside a warning, said in the warning's language: ``template`` (English,
    as :mod:`aedplan._words` knows it) filled with ``values``."""

    template: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def said(self, lookup: Callable[[str], str] | None = None) -> str:
        """The words in the language of ``lookup`` (a :class:`aedplan._words.Words`),
        else in English."""
        return _filled(self.template, self.values, lookup or _as_written)

    def __str__(self) -> str:
        return self.said()


@dataclass(frozen=True)
class Joined:
    """Phrases (or texts from elsewhere) said one after another, joined by ``sep`` in
    the language's own punctuation (``"; "`` is ``"；"`` in Chinese): the problems of an
    input listed in one error.

    >>> str(Joined([Phrase("`{k}` is missing", {"k": "lon"}), "a text as given"]))
    '`lon` is missing; a text as given'
    """

    items: Sequence[Any]
    sep: str = "; "

    def said(self, lookup: Callable[[str], str] | None = None) -> str:
        """The phrases in the language of ``lookup``, joined."""
        look = lookup or _as_written
        return look(self.sep).join(_said(item, look) for item in self.items)

    def __str__(self) -> str:
        return self.said()


@dataclass(frozen=True)
class Clause:
    """Another error's words inside a new one, without their full stop: said in the new
    one's language, the other's edits made.

    >>> inner = InputError("`{key}` must be a number, got {value!r}.", key="a", value="x")
    >>> str(InputError("variant {name!r}: {error}.", name="v", error=Clause(inner)))
    "variant 'v': `a` must be a number, got 'x'."
    """

    error: AedplanError

    def said(self, lookup: Callable[[str], str] | None = None) -> str:
        """The error's words in the language of ``lookup``, its full stop dropped."""
        return self.error.said(lookup).rstrip(".。")


def _as_written(template: str) -> str:
    return template


def _said(value: Any, lookup: Callable[[str], str]) -> Any:
    if isinstance(value, Phrase):
        return _filled(value.template, value.values, lookup)
    return value.said(lookup) if isinstance(value, (Joined, Clause)) else value


def _filled(template: str, values: Mapping[str, Any], lookup: Callable[[str], str]) -> str:
    text = lookup(template)
    if not values:  # a text without values is not a template: braces in it stay
        return text
    said = {k: _said(v, lookup) for k, v in values.items()}
    try:
        return text.format(**said)
    except (KeyError, IndexError, ValueError):
        if text == template:
            raise
        return template.format(**said)  # a translation that does not fit: the English


class AedplanWarning(UserWarning):
    """Warnings aedplan emits about the data or the results (never only a log line).

    ``AedplanWarning(template, **values)``: an English template (``"{n:,} AEDs ..."``)
    and its values (numbers, names, :class:`Phrase`); ``str()`` says it in English,
    :meth:`said` in another language. A text without values is said as it is.

    >>> w = AedplanWarning("`{name}`: {n:,} points are far off.", name="aeds", n=1200)
    >>> str(w)
    '`aeds`: 1,200 points are far off.'
    >>> str(w.again(edit=lambda text: text.replace("`aeds`", "`--aeds`")))
    '`--aeds`: 1,200 points are far off.'
    """

    def __init__(self, template: str = "", /, **values: Any) -> None:
        super().__init__(template)
        self.template = template
        self.values = values
        self.edits: tuple[Callable[[str], str], ...] = ()
        self.lookup: Callable[[str], str] = _as_written

    def said(self, lookup: Callable[[str], str] | None = None) -> str:
        """The warning in the language of ``lookup`` (a template -> the template in that
        language; :class:`aedplan._words.Words` is one), else in its own, its edits made."""
        text = _filled(self.template, self.values, lookup or self.lookup)
        for edit in self.edits:
            text = edit(text)
        return text

    def __str__(self) -> str:
        return self.said()

    def again(self, *, edit: Callable[[str], str] | None = None,
              lookup: Callable[[str], str] | None = None) -> AedplanWarning:
        """The same warning (its class kept) with one more ``edit`` of its text (the
        argument named as the caller knows it), or said through ``lookup``."""
        copy = type(self).__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.args = self.args
        if edit is not None:
            copy.edits = (*self.edits, edit)
        if lookup is not None:
            copy.lookup = lookup
        return copy
