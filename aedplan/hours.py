"""Who may use each AED, and when: access, opening hours over a reference week, and
when cardiac arrests happen.

- **Access.** An AED is public iff its OSM ``access`` is missing or one of ``yes``,
  ``public``, ``permissive`` (:data:`PUBLIC_ACCESS`); every other value restricts it. A
  registry may carry a yes/no column ``public`` instead, which then decides.
- **Opening hours** are parsed by `opening-hours-py
  <https://pypi.org/project/opening-hours-py/>`_ (the Rust ``opening-hours`` crate), never
  by hand, over a **reference week** (Monday 00:00 to Sunday 24:00, in the local time of
  the tags), to the minute: the week is cut into *slots* at every minute an AED opens or
  closes (and at every full hour, so hours can be summed), and an AED is available in a
  slot iff it is public and open throughout it. A span ending at ``23:59`` ends at
  midnight. Public holidays come from the ``holidays`` package for the data's country; on
  a holiday a ``PH`` rule applies. Missing or unparsable hours are *unknown*, counted as
  open or closed as asked.
- **When arrests happen**: a profile of 168 weights (:func:`arrest_profile`), by default
  the hour-of-day pattern of a published registry.

Everything after this module sees arrays: a boolean ``(n_aeds, n_slots)`` availability
matrix with the slots' edges in minutes from Monday 00:00 (:attr:`Availability.edges`),
and a ``(168,)`` profile. A slot in hour ``h`` weighs ``profile[h]`` times its share of
that hour.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import _results, _validate
from ._caller import warn
from ._holidays import calendar
from .errors import InputError, Joined, Phrase

__all__ = [
    "DEFAULT_MONDAY",
    "FIRST_YEAR",
    "HOURS",
    "LAST_YEAR",
    "MINUTES",
    "PROFILE_SOURCE",
    "PUBLIC_ACCESS",
    "Availability",
    "Week",
    "always_open",
    "arrest_profile",
    "availability",
    "check_country",
    "country_of",
    "hours_in_words",
    "public_access",
    "reference_week",
    "stack",
]

HOURS = 168
#: Minutes in the reference week.
MINUTES = HOURS * 60
#: ``access`` values under which anyone may use an AED (a missing value counts as public).
PUBLIC_ACCESS = frozenset({"yes", "public", "permissive"})
#: ``access`` values that restrict an AED and are expected; any other word restricts it too,
#: with a warning. ``unknown`` (OSM's word for "nobody found out") restricts it: an AED
#: whose access nobody knows is not promised to the public.
RESTRICTED_ACCESS = frozenset(
    {"no", "private", "customers", "permit", "delivery", "employees", "members", "students",
     "residents", "staff", "destination", "restricted", "official", "military", "unknown"}
)
#: The default reference week starts on this Monday (a week without public holidays in
#: most countries); when the data's country has a holiday in it, the next week without one
#: is taken.
DEFAULT_MONDAY = dt.date(2024, 3, 4)
#: The years a reference week may fall in: the opening-hours parser reads no date before
#: 1900, and holiday tables are not meant for the far future.
FIRST_YEAR, LAST_YEAR = 1900, 2199
_WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_TRUE = frozenset({"yes", "y", "true", "t", "1", "public", "是", "可", "公眾", "公众",
                   "對外開放", "对外开放", "開放", "开放"})
_FALSE = frozenset({"no", "n", "false", "f", "0", "private", "否", "不可", "不對外開放",
                    "不对外开放", "不開放", "不开放", "非公眾", "非公众"})
#: A registry's own column saying whether the public may use an AED.
PUBLIC_COLUMNS = ("public", "是否對外開放", "是否对外开放", "對外開放", "对外开放",
                  "可供公眾使用", "可供公众使用", "can be used by anyone")
_SUN = re.compile(r"sunrise|sunset|dawn|dusk", re.IGNORECASE)
_PH = re.compile(r"\bPH\b")
_TO_MIDNIGHT = re.compile(r"(?<=-)\s*23:59\b")  # "08:00-23:59" means until midnight
_OPEN, _CLOSED, _UNKNOWN = 1, 0, -1


# --------------------------------------------------------------------------- access


def public_access(access: Any = None, *, public: Any = None, argument: str = "aeds") -> np.ndarray:
    """Which AEDs the public may use.

    Parameters
    ----------
    access
        OSM ``access`` values (missing = public).
    public
        A registry's own yes/no column; when given, it decides.
    argument
        Name used in messages.

    Examples
    --------
    >>> public_access(["yes", None, "customers", "permissive", "no"]).tolist()
    [True, True, False, True, False]
    >>> public_access(public=["yes", "no", "1"]).tolist()
    [True, False, True]
    """
    if public is not None:
        return _yes_no(public, argument)
    values = pd.Series(access, dtype="string").str.strip().str.lower()
    is_public = (values.isna() | values.isin(PUBLIC_ACCESS)).to_numpy(dtype=bool)
    odd = sorted(set(values[~is_public].dropna()) - RESTRICTED_ACCESS)
    if odd:
        warn("`{argument}`: access={odd} is not a word aedplan knows; those AEDs count as "
             "restricted (only a missing access or yes/public/permissive counts as public).",
             argument=argument, odd=", ".join(map(repr, odd)))
    return is_public


def _yes_no(values: Any, argument: str) -> np.ndarray:
    """A registry's yes/no column: blanks are not recorded, and count as an OSM AED
    without ``access`` does (public), with a warning that counts them."""
    text = pd.Series(values, dtype="string").str.strip().str.lower()
    blank = (text.isna() | (text == "")).to_numpy(dtype=bool)
    bad = ~(text.isin(_TRUE) | text.isin(_FALSE)).to_numpy(dtype=bool) & ~blank
    if bad.any():
        shown = Joined([repr(v) for v in sorted(set(text[bad]))[:5]], sep=", ")
        raise InputError(
            "`{argument}`: the `public` column must say yes or no (or be blank: not "
            "recorded); it holds {shown}. Fix those rows, or drop the column to use "
            "`access` instead.", argument=argument, shown=shown,
        )
    if blank.any():
        warn("`{argument}`: the `public` column is blank for {n} of {m} AEDs: not "
             "recorded, so they count as public, as an AED without `access` does in "
             "OpenStreetMap.", argument=argument, n=int(blank.sum()), m=len(blank))
    return (text.isin(_TRUE).to_numpy(dtype=bool) | blank)


# --------------------------------------------------------------------------- the week


def _iso_codes() -> dict[str, str]:
    """ISO 3166 country codes and names, from the IANA table in tzdata (offline)."""
    from importlib import resources

    table = resources.files("tzdata").joinpath("zoneinfo", "iso3166.tab").read_text()
    rows = (line.split("\t") for line in table.splitlines() if line and line[0] != "#")
    return {row[0]: row[1] for row in rows if len(row) >= 2}


def check_country(country: Any) -> str | None:
    """``country`` as an upper-case ISO 3166 code (``None`` stays ``None``).

    >>> check_country("li")
    'LI'
    >>> check_country("Peru")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    aedplan.errors.InputError: `country` must be a two-letter ISO 3166 code ... (that is PE).
    """
    if country is None:
        return None
    code = str(country).strip().upper()
    codes = _iso_codes()
    if code in codes:
        return code
    named = [c for c, name in codes.items() if name.lower() == str(country).strip().lower()]
    hint = Phrase(" (that is {code})", {"code": named[0]}) if named else ""
    raise InputError(
        "`country` must be a two-letter ISO 3166 code such as LI, CH or CN, got "
        "{country!r}{hint}.", country=country, hint=hint,
    )


def country_of(lon: float, lat: float) -> str | None:
    """The ISO country code of a place, offline: its time zone (tzfpy), then the IANA
    zone table. ``None`` at sea or where the zone names no country.

    >>> country_of(9.52, 47.14), country_of(117.02, 25.08)
    ('LI', 'CN')
    """
    from importlib import resources

    import tzfpy

    zone = tzfpy.get_tz(float(lon), float(lat))
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text()
    for line in table.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and not line.startswith("#") and parts[2] == zone:
            return parts[0]
    return None


@dataclass(frozen=True)
class Week:
    """The reference week: Monday ``monday`` 00:00 to Sunday 24:00, local time.

    Hour ``h`` (0..167) runs from ``monday + h`` hours; minute ``m`` (0..10079) from
    ``monday + m`` minutes.
    ``holidays`` are the public holidays of ``country`` in the week (in China, the days
    off moved by 调休 too). ``workdays`` are the weekend days worked instead (China's
    make-up working days, 调休上班), each with the regular working day whose hours it
    keeps: the nearest weekday before it that is no holiday.
    """

    monday: dt.date
    country: str | None = None
    holidays: tuple[tuple[dt.date, str], ...] = ()
    workdays: tuple[tuple[dt.date, dt.date], ...] = ()

    def summary(self) -> dict[str, Any]:
        return {
            "week": self.monday.isoformat(),
            "resolution": "minute",
            "country": self.country,
            "public_holidays": [{"date": d.isoformat(), "name": n} for d, n in self.holidays],
            "make_up_workdays": [{"date": d.isoformat(), "hours_of": like.isoformat()}
                                 for d, like in self.workdays],
        }


def reference_week(monday: Any = None, *, country: str | None = None) -> Week:
    """The reference week the hours are read over.

    Parameters
    ----------
    monday
        The Monday it starts on (a date or ``"YYYY-MM-DD"``), to study a week with public
        holidays. Default: :data:`DEFAULT_MONDAY`, or the first week after it without a
        public holiday in ``country``: fixed, so outputs stay reproducible.
    country
        ISO 3166 code of the country whose public holidays apply (any case; see
        :func:`country_of`).

    Examples
    --------
    >>> reference_week(country="LI").monday.isoformat()
    '2024-03-04'
    >>> [name for _, name in reference_week("2024-03-18", country="LI").holidays]
    ["Saint Joseph's Day"]
    """
    country = check_country(country)
    if monday is None:
        day = DEFAULT_MONDAY
        while any(calendar(country, day)) and day < DEFAULT_MONDAY + dt.timedelta(weeks=52):
            day += dt.timedelta(weeks=1)
        return Week(day, country, ())
    day = _parse_monday(monday)
    return Week(day, country, *calendar(country, day))


def _parse_monday(monday: Any) -> dt.date:
    try:
        day = monday if isinstance(monday, dt.date) else dt.date.fromisoformat(str(monday))
    except ValueError as exc:
        raise InputError(
            "`week` must be a date YYYY-MM-DD (a Monday), got {monday!r}.", monday=monday,
        ) from exc
    if day.weekday() != 0:
        first = day - dt.timedelta(days=day.weekday())
        raise InputError(
            "`week` must be a Monday, got {day} (a {weekday}); the Monday of that week is "
            "{monday}.", day=day.isoformat(),
            weekday=Phrase(day.strftime("%A")), monday=first.isoformat(),
        )
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InputError(
            "`week` must be a Monday in the years {first}-{last} (the years whose "
            "opening hours and public holidays can be read), got {day}.",
            first=FIRST_YEAR, last=LAST_YEAR, day=day.isoformat(),
        )
    return day


# --------------------------------------------------------------------------- opening hours


def _week_intervals(
    expression: str, week: Week, coords: tuple[float, float] | None
) -> tuple[np.ndarray, np.ndarray]:
    """When one ``opening_hours`` value changes state over the week: the minutes (from
    Monday 00:00) each run starts at, and its state (1 open, 0 closed, -1 unknown).

    Each day is read as its calendar says: on a public holiday a ``PH`` rule stands for
    that weekday (``Mo-Fr 08:00-18:00; PH off`` is closed on a holiday Monday); a weekend
    day worked instead of a holiday (调休) keeps the hours of its regular working day
    (:class:`Week`). Raises ``ValueError`` when the value does not parse.
    """
    from opening_hours import OpeningHours, State

    options: dict[str, Any] = {"auto_country": False}
    if coords is not None:
        options["coords"] = coords
    expression = _TO_MIDNIGHT.sub("24:00", expression)
    parsed = OpeningHours(expression, **options)
    holiday = {d for d, _ in week.holidays}
    worked = dict(week.workdays)
    codes = {State.OPEN: _OPEN, State.CLOSED: _CLOSED, State.UNKNOWN: _UNKNOWN}
    starts: list[int] = []
    states: list[int] = []
    for k in range(7):  # seven days, each read as the calendar has it
        day = week.monday + dt.timedelta(days=k)
        reader, date = parsed, worked.get(day, day)
        if day in holiday and day not in worked and _PH.search(expression):
            reader = OpeningHours(_PH.sub(_WEEKDAYS[day.weekday()], expression), **options)
        begin = dt.datetime.combine(date, dt.time())
        for since, _, state, _ in reader.intervals(begin, begin + dt.timedelta(days=1)):
            wall = since.replace(tzinfo=None)  # local time: sun times come zoned
            starts.append(k * 1440 + round((wall - begin).total_seconds() / 60))
            states.append(codes[state])
    start, state = np.asarray(starts, dtype=np.int64), np.asarray(states, dtype=np.int8)
    keep = np.r_[True, (np.diff(state) != 0) & (np.diff(start) > 0)]
    return start[keep], state[keep]


def hour_edges() -> np.ndarray:
    """The edges of the 168 hours of the week, in minutes from Monday 00:00."""
    return np.arange(0, MINUTES + 1, 60, dtype=np.int64)


def _slot_of(edges: np.ndarray, minute: Any) -> np.ndarray:
    """The slot each minute of the week falls in."""
    m = np.asarray(minute, dtype=np.int64)
    if np.any((m < 0) | (m >= MINUTES)):
        raise InputError("a minute of the week must be 0 to {last}, got {got}.",
                         last=MINUTES - 1, got=m[(m < 0) | (m >= MINUTES)][:3].tolist())
    return np.searchsorted(edges, m, side="right") - 1


def always_open(hours: Any) -> np.ndarray:
    """True where an ``opening_hours`` value means open at every hour of every day of the
    year (``24/7``, ``Mo-Su 00:00-24:00``, ...), as the parser normalises it; missing or
    unreadable values are False.

    >>> always_open(["24/7", "Mo-Su 00:00-24:00", "Mo-Fr 08:00-18:00", None, "nonsense"]).tolist()
    [True, True, False, False, False]
    """
    from opening_hours import OpeningHours, ParserError  # type: ignore[attr-defined]

    text = pd.Series(np.asarray(hours, dtype=object), dtype="string").str.strip()
    codes, uniques = pd.factorize(text)  # missing values get code -1
    flags = np.zeros(len(uniques) + 1, dtype=bool)  # the last entry answers code -1
    for k, value in enumerate(uniques):  # one read per distinct value
        try:
            flags[k] = str(OpeningHours(str(value)).normalize()) == "24/7"
        except (ParserError, ValueError):
            flags[k] = False
    return flags[codes]


@dataclass(frozen=True, eq=False)
class Availability:
    """Who may use each AED, and when, over a reference week, to the minute.

    Attributes
    ----------
    state
        ``(n, n_slots)`` int8: 1 open, 0 closed, -1 unknown (hours missing, unparsable,
        or an ``unknown`` rule) in each slot of the week.
    public
        ``(n,)`` bool: the public may use it.
    hours
        The ``opening_hours`` values (``None`` where missing).
    week
        The reference week.
    unknown_hours
        ``"open"`` or ``"closed"``: how an unknown hour counts.
    unparsable
        The ``opening_hours`` values that could not be read.
    edges
        ``(n_slots + 1,)`` the slots' edges, in minutes from Monday 00:00: every minute an
        AED changes state, and every full hour (default: the 168 hours).
    """

    state: np.ndarray
    public: np.ndarray
    hours: np.ndarray
    week: Week
    unknown_hours: str = "open"
    unparsable: tuple[str, ...] = field(default=())
    edges: np.ndarray = field(default_factory=hour_edges)

    def __post_init__(self) -> None:
        edges = np.asarray(self.edges, dtype=np.int64)
        if (edges[0] != 0 or edges[-1] != MINUTES or np.any(np.diff(edges) <= 0)
                or not np.isin(hour_edges(), edges).all()):
            raise InputError("`edges` must rise from 0 to 10080 minutes and hold every full "
                             "hour of the week.")
        if np.shape(self.state) != (len(self.public), edges.size - 1):
            raise InputError("`state` must have one row per AED ({n}) and one column per "
                             "slot ({slots}), got {shape}.", n=len(self.public),
                             slots=edges.size - 1, shape=np.shape(self.state))
        object.__setattr__(self, "edges", edges)
        _results.freeze_arrays(self)

    @classmethod
    def cabinets(cls, n: int, week: Week, unknown_hours: str = "open") -> Availability:
        """``n`` new public AEDs in outdoor cabinets, open 24/7."""
        return cls(np.full((n, HOURS), _OPEN, dtype=np.int8), np.ones(n, dtype=bool),
                   np.full(n, "24/7", dtype=object), week, unknown_hours)

    @property
    def minutes(self) -> np.ndarray:
        """``(n_slots,)`` each slot's length in minutes."""
        return np.diff(self.edges)

    @property
    def slot_hour(self) -> np.ndarray:
        """``(n_slots,)`` the hour of the week each slot lies in."""
        return self.edges[:-1] // 60

    @property
    def open(self) -> np.ndarray:
        """``(n, n_slots)`` bool: available (public, and open or unknown-counted-open)."""
        known_open = self.state == _OPEN
        if self.unknown_hours == "open":
            known_open = known_open | (self.state == _UNKNOWN)
        return known_open & self.public[:, None]

    @property
    def hourly(self) -> np.ndarray:
        """``(n, 168)`` the share of each hour of the week each AED is available."""
        first = np.searchsorted(self.edges, hour_edges()[:-1])
        return np.add.reduceat(self.open * self.minutes, first, axis=1) / 60.0

    def open_at(self, minute: Any) -> np.ndarray:
        """``(n, k)`` bool: available at each of ``k`` minutes of the week (0 = Monday
        00:00); a scalar minute gives ``(n,)``."""
        return self.open[:, _slot_of(self.edges, minute)]

    @property
    def kind(self) -> np.ndarray:
        """``"24/7"``, ``"hours"``, ``"unknown"`` or ``"restricted"`` for each AED."""
        always = (self.state == _OPEN).all(axis=1)
        unknown = (self.state == _UNKNOWN).all(axis=1)
        kind = np.where(always, "24/7", np.where(unknown, "unknown", "hours")).astype(object)
        kind[~self.public] = "restricted"
        return kind

    @property
    def open_share(self) -> np.ndarray:
        """Share of the week each AED is available."""
        return (self.open @ self.minutes) / MINUTES

    def counts(self) -> dict[str, int]:
        """AEDs by kind, as ``report.json`` gives them."""
        kind = self.kind
        return {
            "public_24_7": int((kind == "24/7").sum()),
            "public_hours": int((kind == "hours").sum()),
            "public_unknown": int((kind == "unknown").sum()),
            "restricted": int((kind == "restricted").sum()),
        }

    def take(self, index: Any) -> Availability:
        """The AEDs at ``index`` (positions), in that order."""
        idx = np.asarray(index, dtype=np.int64).reshape(-1)
        return replace(self, state=self.state[idx], public=self.public[idx],
                       hours=self.hours[idx])

    def recut(self, edges: Any) -> Availability:
        """The same AEDs over finer slots: ``edges`` must hold every edge of these."""
        edges = np.asarray(edges, dtype=np.int64)
        if not np.isin(self.edges, edges).all():
            raise InputError("`edges` must hold every edge of the slots it recuts.")
        slot = np.searchsorted(self.edges, edges[:-1], side="right") - 1
        return replace(self, state=self.state[:, slot], edges=edges)

    def assuming(self, unknown_hours: str) -> Availability:
        """The same AEDs with unknown hours counted as ``"open"`` or ``"closed"``."""
        return replace(self, unknown_hours=_check_unknown(unknown_hours))

    def __len__(self) -> int:
        return int(self.public.shape[0])

    def __repr__(self) -> str:
        c = self.counts()
        return (
            f"Availability({len(self):,} AEDs: {c['public_24_7']} public 24/7, "
            f"{c['public_hours']} with hours, {c['public_unknown']} unknown, "
            f"{c['restricted']} restricted; week of {self.week.monday.isoformat()}, "
            f"{len(self.edges) - 1} slots)"
        )

    def _repr_html_(self) -> str:
        rows: dict[str, Any] = {k.replace("_", " "): v for k, v in self.counts().items()}
        rows["week"] = self.week.monday.isoformat()
        rows["unknown hours count as"] = self.unknown_hours
        return _results.html_table("Availability", rows)


def stack(parts: Any) -> Availability:
    """Several :class:`Availability` in one, in order, over the slots of all of them, with
    the week of the first. Each part's unknown hours still count as that part counts them:
    where its rule differs from the first's, they are written as open or closed.

    >>> week = reference_week("2024-03-04")
    >>> both = stack([Availability.cabinets(1, week), Availability.cabinets(2, week)])
    >>> len(both), bool(both.open.all())
    (3, True)
    """
    parts = list(parts)
    if not parts:
        raise InputError("`parts` must hold at least one Availability.")
    edges = np.unique(np.concatenate([a.edges for a in parts]))
    cut = [a.recut(edges) for a in parts]
    rule = parts[0].unknown_hours
    states = [a.state if a.unknown_hours == rule else np.where(
        a.state == _UNKNOWN, _OPEN if a.unknown_hours == "open" else _CLOSED, a.state
    ).astype(np.int8) for a in cut]
    return replace(parts[0], state=np.vstack(states),
                   public=np.concatenate([a.public for a in cut]),
                   hours=np.concatenate([np.asarray(a.hours, dtype=object) for a in cut]),
                   edges=edges, unparsable=tuple(v for a in parts for v in a.unparsable))


def _check_unknown(unknown_hours: Any) -> str:
    return _validate.one_of(unknown_hours, "unknown_hours", {
        "open": "an AED without readable hours counts as open",
        "closed": "it counts as closed",
    })


def availability(
    aeds: Any,
    *,
    week: Week | dt.date | str | None = None,
    country: str | None = None,
    unknown_hours: str = "open",
    argument: str = "aeds",
) -> Availability:
    """Who may use each AED, and when, from its ``access`` (or ``public``) and
    ``opening_hours`` columns.

    Parameters
    ----------
    aeds
        A GeoDataFrame (any CRS): the columns it lacks count as missing (public, hours
        unknown).
    week
        The reference week: a :class:`Week` (:func:`reference_week`), or its Monday
        (``"2024-03-18"``); by default the default week of the AEDs' country.
    country
        ISO code of the country whose public holidays apply, when ``week`` is not a
        :class:`Week` (default: where the AEDs are).
    unknown_hours
        ``"open"`` (default) or ``"closed"``: how hours that are missing or unreadable count.
    argument
        Name used in messages.

    Warns
    -----
    AedplanWarning
        Once for unexpected ``access`` words, once for unreadable ``opening_hours``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> aeds = gpd.GeoDataFrame(
    ...     {"access": ["yes", None, "private"],
    ...      "opening_hours": ["24/7", "Mo-Fr 08:00-18:00", None]},
    ...     geometry=[Point(9.52, 47.14)] * 3, crs="EPSG:4326")
    >>> hours = availability(aeds, week=reference_week("2024-03-04", country="LI"))
    >>> hours.kind.tolist(), hours.hourly.sum(axis=1).tolist()
    (['24/7', 'hours', 'restricted'], [168.0, 50.0, 0.0])
    """
    unknown_hours = _check_unknown(unknown_hours)
    n = len(aeds)
    columns = getattr(aeds, "columns", ())
    said = next((c for c in columns if str(c).strip().lower() in PUBLIC_COLUMNS), None)
    public = public_access(
        aeds["access"] if "access" in columns else [None] * n,
        public=aeds[said] if said is not None else None,
        argument=argument,
    )
    if n and not hasattr(aeds, "geometry"):
        raise InputError("`{argument}` must be a GeoDataFrame (their places give their time "
                         "zone and holidays), got a {kind}; read a file with "
                         "aedplan.read_points.", argument=argument, kind=type(aeds).__name__)
    hours = _registry(aeds, argument)
    coords = _lonlat(aeds) if n else np.zeros((0, 2))
    if not isinstance(week, Week):
        if country is None and n:
            country = country_of(*coords.mean(axis=0))
        week = reference_week(week, country=country)
    state, edges, unparsable = _states(hours, coords, week)
    if unparsable:
        shown = "; ".join(f"{v!r}" for v in unparsable[:8])
        warn(("`{argument}`: {n} opening_hours values could not be read and count as "
              "unknown ({unknown}): {shown}.") if len(unparsable) > 1 else (
             "`{argument}`: 1 opening_hours value could not be read and counts as unknown "
             "({unknown}): {shown}."), argument=argument, n=len(unparsable),
             unknown=Phrase(unknown_hours), shown=shown + (" ..." if len(unparsable) > 8 else ""))
    return Availability(state, public, hours, week, unknown_hours, tuple(unparsable),
                        edges)


def _registry(aeds: Any, argument: str) -> np.ndarray:
    """The ``opening_hours`` of each AED (:mod:`aedplan.registry_hours`): its tag, or the
    hours a registry gives in its own columns, said in a warning (how many were read, and
    the remarks that could not be)."""
    from .registry_hours import registry_hours

    if not hasattr(aeds, "columns"):
        return np.full(len(aeds), None, dtype=object)
    hours, source, unread = registry_hours(aeds)
    if source == "opening_hours":
        _said_as_text(aeds["opening_hours"].to_numpy(dtype=object), hours, unread, argument)
        return hours
    if source is None:
        return hours
    known = int(sum(h is not None for h in hours))
    shown = "; ".join(repr(r) for r in dict.fromkeys(unread))
    said = (Phrase("text ({column})", {"column": source[len("text ("):-1]})
            if source.startswith("text (") else Phrase(source))  # registry_hours' words
    values = {"argument": argument, "source": said, "known": known, "n": len(hours),
              "unknown": len(hours) - known}
    if unread:
        warn("`{argument}`: opening hours read from the registry's {source} for {known} of "
             "{n} AEDs; the other {unknown} (blank, 00:00-00:00 or unreadable) count as "
             "unknown; {unread} remarks could not be read and leave the hours as given: "
             "{shown}.", **values, unread=len(unread),
             shown=shown[:300] + (" ..." if len(shown) > 300 else ""))
    else:
        warn("`{argument}`: opening hours read from the registry's {source} for {known} of "
             "{n} AEDs; the other {unknown} (blank, 00:00-00:00 or unreadable) count as "
             "unknown.", **values)
    return hours


def _said_as_text(tags: np.ndarray, hours: np.ndarray, unread: list[str],
                  argument: str) -> None:
    """Warn once about ``opening_hours`` values written as text and read as such, and
    about remarks beside them that could not be read."""
    text = pd.Series(tags, dtype="string").str.strip()
    changed = (text.notna() & (text != pd.Series(hours, dtype="string"))).to_numpy(dtype=bool)
    if changed.any():
        pairs = dict(zip(text[changed], hours[changed], strict=True))
        shown = "; ".join(f"{a!r} -> {b!r}" for a, b in list(pairs.items())[:5])
        warn("`{argument}`: {n} opening_hours values are written as text, not in "
             "OpenStreetMap syntax, and were read as text: {shown}.", argument=argument,
             n=int(changed.sum()), shown=shown + (" ..." if len(pairs) > 5 else ""))
    if unread:
        shown = "; ".join(repr(r) for r in dict.fromkeys(unread))
        warn("`{argument}`: {n} remarks on the hours could not be read and leave the hours "
             "as given: {shown}.", argument=argument, n=len(unread),
             shown=shown[:300] + (" ..." if len(shown) > 300 else ""))


def _lonlat(frame: Any) -> np.ndarray:
    from . import _geo

    pts = _geo.point_array(frame)
    import shapely

    return np.column_stack([shapely.get_x(pts), shapely.get_y(pts)])


def _states(
    hours: np.ndarray, coords: np.ndarray, week: Week
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The week's states of every AED over the slots of all of them, and the slots' edges;
    each distinct value is read once (sun times per place, to 0.01 degrees)."""
    n = hours.shape[0]
    text = pd.Series(hours, dtype="string").str.strip()
    present = text.notna() & (text != "")
    sun = present & text.str.contains(_SUN, na=False)
    key = text.where(~sun, text + "@" + pd.Series(np.round(coords[:, 1], 2).astype(str))
                     + "," + pd.Series(np.round(coords[:, 0], 2).astype(str)))
    from opening_hours import InvalidCoordinatesError, ParserError  # type: ignore[attr-defined]

    unparsable: list[str] = []
    codes, uniques = pd.factorize(key[present])
    rows = np.flatnonzero(present.to_numpy())
    runs = []
    for value in uniques:  # one read per distinct value, not per AED
        expression, _, place = str(value).partition("@")
        lat_lon = tuple(float(c) for c in place.split(",")) if place else None
        try:
            runs.append(_week_intervals(expression, week, lat_lon))  # type: ignore[arg-type]
        except (ParserError, InvalidCoordinatesError, ValueError):
            unparsable.append(expression)
            runs.append((np.zeros(1, dtype=np.int64), np.array([_UNKNOWN], dtype=np.int8)))
    edges = np.unique(np.concatenate([hour_edges(), *(start for start, _ in runs)]))
    table = np.full((len(uniques), edges.size - 1), _UNKNOWN, dtype=np.int8)
    for k, (start, state) in enumerate(runs):  # a row per distinct value
        table[k] = state[np.searchsorted(start, edges[:-1], side="right") - 1]
    out = np.full((n, edges.size - 1), _UNKNOWN, dtype=np.int8)
    out[rows] = table[codes]
    return out, edges, unparsable


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def hours_in_words(open_hours: Any, edges: Any = None) -> str:
    """A week of availability in words, to the minute: days with the same hours are named
    together.

    Parameters
    ----------
    open_hours
        Booleans, one per slot of the week (a row of :attr:`Availability.open`).
    edges
        The slots' edges in minutes from Monday 00:00 (:attr:`Availability.edges`);
        default: the 168 hours.

    Examples
    --------
    >>> week = np.zeros(168, bool)
    >>> for day in range(5):
    ...     week[day * 24 + 8: day * 24 + 12] = week[day * 24 + 13: day * 24 + 17] = True
    >>> hours_in_words(week)
    'Mon-Fri 08:00-12:00, 13:00-17:00; Sat, Sun closed'
    >>> hours_in_words(np.ones(168, bool)), hours_in_words(np.zeros(168, bool))
    ('round the clock', 'never')
    >>> hours_in_words([False, True, False], [0, 810, 1020, 10080])   # Mon 13:30-17:00
    'Mon 13:30-17:00; Tue-Sun closed'
    """
    edges = hour_edges() if edges is None else np.asarray(edges, dtype=np.int64)
    days = np.repeat(np.asarray(open_hours, dtype=bool), np.diff(edges)).reshape(7, 1440)
    if days.all():
        return "round the clock"
    if not days.any():
        return "never"
    parts, d = [], 0
    while d < 7:  # seven days, grouped
        same = d
        while same + 1 < 7 and np.array_equal(days[same + 1], days[d]):
            same += 1
        names = _DAY_NAMES[d] if same == d else (
            f"{_DAY_NAMES[d]}, {_DAY_NAMES[same]}" if same == d + 1
            else f"{_DAY_NAMES[d]}-{_DAY_NAMES[same]}")
        parts.append(f"{names} {_day_in_words(days[d])}")
        d = same + 1
    return "; ".join(parts)


def _day_in_words(minutes: np.ndarray) -> str:
    if minutes.all():
        return "all day"
    if not minutes.any():
        return "closed"
    edges = np.flatnonzero(np.diff(np.r_[0, minutes.astype(np.int8), 0]))
    return ", ".join(f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}"
                     for a, b in zip(edges[::2], edges[1::2], strict=True))


# --------------------------------------------------------------------------- arrest profile

#: Where the default profile comes from.
PROFILE_SOURCE = (
    "Brooks SC, Schmicker RH, Rea TD et al., Out-of-hospital cardiac arrest frequency and "
    "survival: evidence for temporal variability. Resuscitation 2010;81(2):175-181 "
    "(doi:10.1016/j.resuscitation.2009.10.021): 9,667 OHCAs of presumed cardiac cause "
    "treated by EMS at 9 US and Canadian sites of the Resuscitation Outcomes Consortium; "
    "odds ratios of occurrence by 6-hour block against 00:01-06:00: 06:01-12:00 2.02, "
    "12:01-18:00 2.01, 18:01-24:00 1.73. Used as relative weights of the hours in each "
    "block, the same on every day of the week (the study found a small day-of-week effect "
    "without giving it per day)."
)
_BLOCK_WEIGHTS = np.array([1.0, 2.02, 2.01, 1.73])
_TIME_COLUMNS = ("time", "timestamp", "datetime", "date_time", "arrest_time", "date")


def arrest_profile(spec: Any = "default") -> np.ndarray:
    """When cardiac arrests happen: 168 weights (hour 0 = Monday 00:00-01:00), summing to 1.

    Parameters
    ----------
    spec
        ``"default"`` (the hour-of-day pattern in :data:`PROFILE_SOURCE`), ``"uniform"``,
        168 numbers, or a CSV file: one column of 168 numbers, or past arrests with a
        timestamp column (``time``, ``timestamp``, ``datetime``...) counted by hour of
        the week.

    Examples
    --------
    >>> p = arrest_profile()
    >>> round(float(p.sum()), 12), round(float(p[9] / p[3]), 2)   # 09:00 against 03:00
    (1.0, 2.02)
    >>> bool((arrest_profile("uniform") == 1 / 168).all())
    True
    """
    if isinstance(spec, str) and spec.strip().lower() in _PROFILE_WORDS:
        word = spec.strip().lower()
        weights = np.tile(np.repeat(_BLOCK_WEIGHTS, 6), 7) if word == "default" else np.ones(HOURS)
    elif isinstance(spec, (str, Path)):
        weights = _profile_file(_profile_path(spec))
    else:
        weights = np.asarray(spec, dtype=float)
    problem = _profile_problem(weights)
    if problem:
        raise InputError(
            "`arrest_profile` must be 'default', 'uniform', a CSV file, or 168 non-negative "
            "numbers that are not all 0 (hour 0 = Monday 00:00); {problem}.", problem=problem,
        )
    return weights / weights.sum()


_PROFILE_WORDS = ("default", "uniform")


def _profile_path(spec: str | Path) -> Path:
    path = Path(spec)
    if not path.exists() and not path.suffix and len(path.parts) == 1:
        raise InputError(
            "`arrest_profile` must be 'default', 'uniform' or a CSV file; {spec!r} is "
            "neither a known word nor a file.", spec=str(spec),
        )
    return path


def _profile_problem(weights: np.ndarray) -> Phrase | None:
    """What is wrong with 168 weights, in words (``None`` when nothing is)."""
    if weights.ndim != 1 or weights.shape[0] != HOURS:
        return Phrase("got {n} numbers" if weights.size != 1 else "got {n} number",
                      {"n": weights.size})
    bad = np.flatnonzero(~np.isfinite(weights) | (weights < 0))
    if bad.size:
        shown = Joined([Phrase("hour {hour} is {value}", {"hour": h, "value": weights[h]})
                        for h in bad[:3]], sep=", ")
        return Phrase("{n} values are not usable ({shown})" if bad.size > 1
                      else "{n} value is not usable ({shown})", {"n": bad.size, "shown": shown})
    if weights.sum() <= 0:
        return Phrase("all 168 are 0")
    return None


def _profile_file(path: Path) -> np.ndarray:
    from . import _files

    table, _ = _files.read_table(path, argument="arrest_profile")
    columns = {str(c).strip().lower(): c for c in table.columns}
    found = [columns[c] for c in _TIME_COLUMNS if c in columns]
    if found:
        times = local_times(table[found[0]], where=_place_of(table), argument="arrest_profile",
                            what=Phrase("column {column} of {name}",
                                        {"column": repr(found[0]), "name": path.name}))
        if times.isna().any():
            raise InputError(
                "`arrest_profile`: {n} values of column {column!r} in "
                "{name} are not dates and times (e.g. 2024-03-04 14:20).",
                n=int(times.isna().sum()), column=found[0], name=path.name,
            )
        hour = times.dt.day_of_week.to_numpy() * 24 + times.dt.hour.to_numpy()
        return np.bincount(hour, minlength=HOURS).astype(float)
    first = table.iloc[:, 0]
    numbers = pd.to_numeric(first, errors="coerce").to_numpy(dtype=float)
    text = first.notna().to_numpy() & np.isnan(numbers)
    if text.any():
        raise InputError(
            ("`arrest_profile`: the first column of {name} holds {n} values that are not a "
             "number (e.g. {example!r}), and no time column ({columns}, ...) was found; give "
             "168 numbers, one per hour from Monday 00:00, or past arrests with a time "
             "column.") if text.sum() > 1 else (
             "`arrest_profile`: the first column of {name} holds {n} value that is not a "
             "number (e.g. {example!r}), and no time column ({columns}, ...) was found; give "
             "168 numbers, one per hour from Monday 00:00, or past arrests with a time "
             "column."),
            name=path.name, n=int(text.sum()), example=first[text].iloc[0],
            columns=Joined(list(_TIME_COLUMNS[:3]), sep=", "),
        )
    if _is_number(table.columns[0]):
        numbers = np.r_[float(table.columns[0]), numbers]  # no header line: it is a value
    return numbers


#: A UTC offset after the time of day at the end of a timestamp: 14:00Z, 14:00:00+08:00
_OFFSET = r"\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)$"


def local_times(values: Any, *, where: tuple[float, float] | None, argument: str,
                what: str | Phrase = "the column") -> pd.Series:
    """Times as the wall-clock time where they happened (no time zone; ``NaT`` where a
    value is not a time).

    Times written without an offset (``2023-05-17 14:00``) are taken as local already.
    Times with one (``14:00+08:00``, ``06:00Z``), or with a time zone, are converted to the
    local time of ``where`` (lon, lat: its time zone, found offline). With no place to
    tell the zone, times that all share one offset are read at the time written, with a
    warning; times with several offsets are refused.

    Examples
    --------
    >>> t = local_times(["2023-05-17 06:00Z", "2023-05-17 14:00"], where=(9.52, 47.14),
    ...                 argument="time_col")
    >>> [str(x) for x in t]  # Vaduz: 06:00 UTC is 08:00 in summer; the second is local
    ['2023-05-17 08:00:00', '2023-05-17 14:00:00']
    """
    values = pd.Series(values).reset_index(drop=True)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        offset = pd.Series(True, index=values.index)
        aware, written = values, {str(values.dt.tz)}
    else:
        text = values.astype("string").str.strip()
        found = text.str.extract(_OFFSET, expand=False)
        offset = found.notna().to_numpy()
        if not offset.any():
            return pd.to_datetime(values, errors="coerce")
        aware = pd.to_datetime(text.where(offset), errors="coerce", utc=True, format="ISO8601")
        written = set(found.dropna())
    zone = where_zone(where) if where is not None else _written_zone(written, argument, what)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if (~offset).any():
        out[~offset] = pd.to_datetime(values[~offset], errors="coerce").astype("datetime64[ns]")
    out[offset] = aware[offset].dt.tz_convert(zone).dt.tz_localize(None).astype(
        "datetime64[ns]")
    return out


def where_zone(where: tuple[float, float]) -> str:
    """The time zone (IANA name) of a place given as (lon, lat), offline.

    >>> where_zone((114.3, 30.58)), where_zone((9.52, 47.14))
    ('Asia/Shanghai', 'Europe/Vaduz')
    """
    import tzfpy

    return str(tzfpy.get_tz(float(where[0]), float(where[1])))


def _written_zone(written: set[str], argument: str, what: str | Phrase) -> Any:
    """With no place known: the one offset the times are written with."""
    if len(written) > 1:
        raise InputError(
            "`{argument}`: the times in {what} carry several UTC offsets ({offsets}), "
            "and nothing says where the arrests happened, so their local hours are unknown: "
            "add their lon/lat columns, or write local times without an offset.",
            argument=argument, what=what if isinstance(what, Phrase) else Phrase(what),
            offsets=Joined(sorted(written)[:3], sep=", "),
        )
    (only,) = written
    warn("`{argument}`: the times in {what} carry a UTC offset ({only}) and nothing says "
         "where the arrests happened: they are read at the time written; if that is not "
         "the local time, add their lon/lat columns.", argument=argument,
         what=what if isinstance(what, Phrase) else Phrase(what), only=only)
    if only == "Z":
        return "UTC"
    sign = -1 if only.startswith("-") else 1
    digits = only[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0)))


def _place_of(table: pd.DataFrame) -> tuple[float, float] | None:
    """The middle (median lon/lat) of a table's points, if it has lon/lat columns."""
    columns = {str(c).strip().lower(): c for c in table.columns}
    lon = next((columns[c] for c in ("lon", "lng", "longitude", "经度") if c in columns), None)
    lat = next((columns[c] for c in ("lat", "latitude", "纬度") if c in columns), None)
    if lon is None or lat is None:
        return None
    x = pd.to_numeric(table[lon], errors="coerce").median()
    y = pd.to_numeric(table[lat], errors="coerce").median()
    return (float(x), float(y)) if np.isfinite(x) and np.isfinite(y) else None


def _is_number(text: Any) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True
