"""The time model of a rescue circle, carried by one object through every stage.

A rescuer walks at ``speed_m_s``; in ``round-trip`` mode they fetch the AED and come
back, so every metre walked counts twice; in ``one-way`` mode the AED is carried from
its site to the patient. An AED's ``access_s`` (opening a cabinet, climbing floors) is
added to its time, and walking from a point to the nearest point of the nearest street
counts at the same speed.

Internally every distance is in *one-way metres*: ``rescue_s = factor * metres /
speed_m_s`` with ``factor`` 2 (round trip) or 1 (one way).

Every public function that needs the model takes it as ``model=`` (a
:class:`TimeModel`), the one way to pass it. The loose keywords ``minutes``, ``mode`` and
``speed_m_s`` some functions still take are deprecated: they work, with an
:class:`~aedplan.errors.AedplanWarning` saying the ``model=`` to write instead.
:func:`resolve` turns either into one checked :class:`TimeModel`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _validate
from .errors import AedplanWarning, InputError, Joined

__all__ = ["TimeModel", "resolve"]

DEFAULT_MINUTES = 4.0
DEFAULT_MODE = "round-trip"
DEFAULT_SPEED_M_S = 1.4


@dataclass(frozen=True)
class TimeModel:
    """The rescue-circle time model.

    Parameters
    ----------
    minutes
        Time budget of the rescue, in minutes.
    mode
        ``"round-trip"`` (fetch the AED and come back: the one-way reach is half the
        budget) or ``"one-way"`` (the AED is carried from its site to the patient).
    speed_m_s
        Walking speed in metres per second (1.4 a walk, about 2.0 a hurried walk).

    Examples
    --------
    >>> m = TimeModel()
    >>> m.budget_s, m.reach_m
    (240.0, 168.0)
    >>> TimeModel(5, "one-way", 2.0).reach_m
    600.0
    >>> m
    TimeModel(minutes=4, mode='round-trip', speed_m_s=1.4)
    """

    minutes: float = DEFAULT_MINUTES
    mode: str = DEFAULT_MODE
    speed_m_s: float = DEFAULT_SPEED_M_S

    def __post_init__(self) -> None:
        minutes, mode, speed = _validate.time_model(self.minutes, self.mode, self.speed_m_s)
        object.__setattr__(self, "minutes", minutes)
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "speed_m_s", speed)

    @property
    def budget_s(self) -> float:
        """The time budget in seconds."""
        return float(self.minutes) * 60.0

    @property
    def factor(self) -> float:
        """2 for a round trip (every metre is walked twice), 1 one way."""
        return 2.0 if self.mode == "round-trip" else 1.0

    @property
    def reach_m(self) -> float:
        """How far along the streets an AED reaches with no off-street walk and no access
        time: 168 m with the defaults."""
        return float(self.metres(self.budget_s))

    def metres(self, seconds: Any) -> Any:
        """Rescue seconds -> one-way metres."""
        return np.asarray(seconds, dtype=float) * self.speed_m_s / self.factor

    def seconds(self, metres: Any) -> Any:
        """One-way metres -> rescue seconds."""
        return np.asarray(metres, dtype=float) * self.factor / self.speed_m_s

    def summary(self) -> dict[str, Any]:
        """Plain numbers for a report."""
        return {
            "minutes": self.minutes,
            "mode": self.mode,
            "speed_m_s": self.speed_m_s,
            "reach_m": self.reach_m,
            "budget_s": self.budget_s,
        }

    def describe(self) -> str:
        """The model in words: ``'4 min round trip at 1.4 m/s (168 m along the streets)'``."""
        trip = "round trip" if self.mode == "round-trip" else "one way"
        return (
            f"{self.minutes:g} min {trip} at {self.speed_m_s:g} m/s "
            f"({self.reach_m:.0f} m along the streets)"
        )

    def __repr__(self) -> str:
        return (
            f"TimeModel(minutes={self.minutes:g}, mode={self.mode!r}, "
            f"speed_m_s={self.speed_m_s:g})"
        )

    def _repr_html_(self) -> str:
        from ._results import html_table

        return html_table("TimeModel", {"model": self.describe()})


def resolve(
    model: TimeModel | None = None,
    *,
    minutes: Any = None,
    mode: Any = None,
    speed_m_s: Any = None,
    stacklevel: int = 3,
) -> TimeModel:
    """The time model of a call: ``model``, or one made from the deprecated loose
    keywords (each defaulting to 4 minutes, round trip, 1.4 m/s), with a warning that
    names the ``model=`` to pass instead (``stacklevel``: at the line that called the
    public function calling this). Giving both is an error.

    >>> resolve(TimeModel(3)) == TimeModel(3), resolve().reach_m
    (True, 168.0)
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     resolve(minutes=5).reach_m
    210.0
    >>> print(said[0].message)
    `minutes` is deprecated: pass `model=aedplan.TimeModel(minutes=5.0)` instead.
    """
    loose = {"minutes": minutes, "mode": mode, "speed_m_s": speed_m_s}
    given = [k for k, v in loose.items() if v is not None]
    if model is not None:
        if not isinstance(model, TimeModel):
            raise InputError(
                "`model` must be an aedplan.TimeModel, e.g. TimeModel(minutes=4), got "
                "{got}.", got=type(model).__name__,
            )
        if given:
            raise InputError(
                "give `model` or {options}, not both: the model "
                "already holds minutes, mode and speed.",
                options=Joined([f"`{k}`" for k in given], sep=", "),
            )
        return model
    made = TimeModel(
        DEFAULT_MINUTES if minutes is None else minutes,
        DEFAULT_MODE if mode is None else mode,
        DEFAULT_SPEED_M_S if speed_m_s is None else speed_m_s,
    )
    if given:
        named = " and ".join([", ".join(f"`{k}`" for k in given[:-1]), f"`{given[-1]}`"]
                             if len(given) > 1 else [f"`{given[0]}`"])
        written = ", ".join(f"{k}={getattr(made, k)!r}" for k in given)
        warnings.warn(
            f"{named} {'are' if len(given) > 1 else 'is'} deprecated: pass "
            f"`model=aedplan.TimeModel({written})` instead.",
            AedplanWarning, stacklevel=stacklevel)
    return made
