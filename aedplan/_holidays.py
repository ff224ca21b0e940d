"""A country's public holidays and make-up workdays in a week (the ``holidays``
package), each country's table built once per process."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from ._caller import warn

__all__ = ["calendar"]

Calendar = tuple[tuple[tuple[dt.date, str], ...], tuple[tuple[dt.date, dt.date], ...]]


def calendar(country: str | None, monday: dt.date) -> Calendar:
    """The public holidays of ``country`` in the week of ``monday``, and its weekend days
    worked instead (``holidays``' ``weekend_workdays``), each with the regular working
    day whose hours it keeps.

    >>> calendar("LI", dt.date(2024, 3, 18))[0]
    ((datetime.date(2024, 3, 19), "Saint Joseph's Day"),)
    >>> calendar(None, dt.date(2024, 3, 18))
    ((), ())
    """
    if country is None:
        return (), ()
    years = (monday.year - 1, monday.year, (monday + dt.timedelta(days=6)).year)
    table = _table(country, tuple(sorted(set(years))))
    if table is None:
        warn("`country`: the holidays package has no public holidays for {country}; the "
             "week is read as if it had none.", country=country)
        return (), ()
    days = [monday + dt.timedelta(days=k) for k in range(7)]
    off = tuple((d, str(table[d])) for d in days if d in table)
    worked: set[dt.date] = getattr(table, "weekend_workdays", set())
    return off, tuple((d, _regular_day_before(d, table)) for d in days if d in worked)


@functools.lru_cache(maxsize=64)
def _table(country: str, years: tuple[int, ...]) -> Any:
    """The holidays of ``country`` over ``years`` (``None``: the package has none); the
    table is only read (it is built for every year a week may touch)."""
    import holidays

    try:
        return holidays.country_holidays(country, years=set(years), expand=False)
    except NotImplementedError:
        return None


def _regular_day_before(day: dt.date, table: Any) -> dt.date:
    """The nearest Monday-to-Friday before ``day`` that is no holiday."""
    before = day - dt.timedelta(days=1)
    while before.weekday() >= 5 or before in table:  # a few days at most
        before -= dt.timedelta(days=1)
    return before
