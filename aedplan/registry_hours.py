"""Opening hours as registries keep them, read into OSM ``opening_hours`` syntax.

A registry of AEDs rarely has an ``opening_hours`` column. Taiwan's public-place AED
registry gives a start and an end per day group (周一至周五起/迄, 周六起/迄, 周日起/迄) and
a remark (開放使用時間備註); other registries write the hours as text: "星期一至星期五 08:00
至 17:00", "周一至周五 8:30-17:30", "每日9:00-21:00", "全天", "24小時開放", "Mon-Fri
09:00-18:00". Each is turned into an ``opening_hours`` value here and then read by the
same rule as OpenStreetMap's (:mod:`aedplan.hours`), so that one rule decides "open at
this hour" everywhere. What cannot be read is ``None`` (unknown hours), never guessed.

Examples
--------
>>> text_to_opening_hours("星期一至星期五 08:00 至 17:00")
'Mo-Fr 08:00-17:00'
>>> text_to_opening_hours("每日9:00-21:00，國定假日休館")
'Mo-Su 09:00-21:00; PH off'
>>> text_to_opening_hours("by appointment") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["DAY_GROUP_COLUMNS", "REMARK_COLUMNS", "TEXT_COLUMNS", "hours_given",
           "registry_hours", "text_to_opening_hours"]

_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")

#: Day-group columns of a registry: (days, start column, end column), in the spellings
#: registries use (Taiwan's MOHW open data; simplified Chinese).
DAY_GROUP_COLUMNS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Mo-Fr", ("周一至周五起", "週一至週五起"), ("周一至周五迄", "週一至週五迄", "周一至周五止")),
    ("Sa", ("周六起", "週六起"), ("周六迄", "週六迄", "周六止")),
    ("Su", ("周日起", "週日起"), ("周日迄", "週日迄", "周日止")),
)
#: Columns of remarks that change the hours (public holidays closed, a weekday closed).
REMARK_COLUMNS = ("開放使用時間備註", "开放使用时间备注", "開放時間備註", "开放时间备注",
                  "Service Hour Remark", "service_hour_remark")
#: Columns of hours written as text.
TEXT_COLUMNS = ("hours", "開放時間", "开放时间", "開放使用時間", "开放使用时间", "服務時間",
                "服务时间", "營業時間", "营业时间", "Service Hour", "service_hour", "opentime",
                "biz_ext.opentime", "shop_hours", "business_hours")

_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
            "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_ENGLISH = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_DAY_PREFIX = r"(?:星期|周|週|禮拜|礼拜)"
_CN_DAY = r"[一二三四五六日天]"
_EN_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
_TIME = r"(\d{1,2})\s*[:：時时点點]\s*(\d{2})?"
_TO = r"\s*(?:至|到|-|－|–|—|~|～|〜|to)\s*"
_ALL_DAY = re.compile(r"全天候?|全日|24\s*小[時时]|24\s*h(?:ours?)?(?![a-z])|24/7|二十四小[時时]",
                      re.IGNORECASE)
_EVERY_DAY = re.compile(r"每天|每日|天天|全年無休|全年无休|daily|every\s*day|mon(?:day)?\s*"
                        r"(?:-|–|to)\s*sun(?:day)?", re.IGNORECASE)
_WORKDAYS = re.compile(r"工作日|平日|weekdays?", re.IGNORECASE)
_WEEKEND = re.compile(r"週末|周末|weekends?|假日(?!休|不|未)", re.IGNORECASE)
_CLOSED = re.compile(r"休館|休馆|休息|不對外開放|不对外开放|未開放|未开放|不開放|不开放|公休|"
                     r"非開放|非开放|除外|closed|except", re.IGNORECASE)
_HOLIDAY = re.compile(r"國定假日|国定假日|法定(?:節|节)?假日|公眾假期|公众假期|公假|"
                      r"public\s*holidays?", re.IGNORECASE)
#: Taiwan's 例假日 (also 例休假日): weekends and national holidays.
_REGULAR_OFF = re.compile(r"(?:星期|週|周)?例(?:休)?假日")
#: Saturday and Sunday as remarks write them: 六日, 六、日, 星期六、日, 週六及週日.
_WEEKEND_PAIR = re.compile(r"(?<![一二三四五六日天十\d至到~～-])(?:星期|週|周|禮拜|礼拜)?六\s*"
                           r"[、,，及和與与]?\s*(?:星期|週|周|禮拜|礼拜)?[日天](?!期)")
#: A remark that says there is nothing to say.
_NOTHING = re.compile(r"\s*(?:無|无|none|n/?a|-+)[。.]?\s*", re.IGNORECASE)
#: OSM's two-letter days, as hand-written hours use them ("Mo - Fr 7:30 - 17:00").
_OSM_TWO = re.compile(r"\b(Mo|Tu|We|Th|Fr|Sa|Su)\b")
_THREE = {"Mo": "Mon", "Tu": "Tue", "We": "Wed", "Th": "Thu", "Fr": "Fri", "Sa": "Sat",
          "Su": "Sun"}
#: Words that say hours hold only in some weeks (school terms and holidays, Lunar New
#: Year, typhoons): hours next to them are not the hours of a regular week.
_SEASON = re.compile(r"寒假|暑假|寒暑假|學期|学期|上課期間|上课期间|農曆|农历|春節|春节|過年|过年|"
                     r"颱風|台风|停托|夏季|冬季|summer|winter|term\s*time|school\s*holidays?",
                     re.IGNORECASE)
#: Latin words that may stand beside hours without changing them; any other word makes
#: the text unread rather than misread.
_PLAIN_WORDS = frozenset({"open", "opens", "opening", "hours", "hour", "hrs", "and", "from",
                          "service", "daily"})
_WORD = re.compile(r"[A-Za-z]{2,}")
#: An ``opening_hours`` value in OSM syntax: a day or holiday token as OSM writes it.
_OSM_DAY = re.compile(r"\b(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)\b")
_NO_DAY_OFF = re.compile(r"\s*(?:全年無休|全年无休|全年開放|全年开放|無休|无休)[。.]?\s*")
_SPAN = re.compile(_TIME + _TO + _TIME, re.IGNORECASE)
_CN_RANGE = re.compile(_DAY_PREFIX + f"({_CN_DAY}){_TO}{_DAY_PREFIX}?({_CN_DAY})")
_CN_LIST = re.compile(_DAY_PREFIX + f"({_CN_DAY}+(?:[、,，及和與与]{_DAY_PREFIX}?{_CN_DAY})*)")
_EN_RANGE = re.compile(f"({_EN_DAY}){_TO}({_EN_DAY})", re.IGNORECASE)
_EN_ONE = re.compile(f"\\b({_EN_DAY})", re.IGNORECASE)


def _clock(hours: str, minutes: str | None) -> int | None:
    """Minutes since midnight, or ``None`` for an impossible time."""
    h, m = int(hours), int(minutes or 0)
    return h * 60 + m if 0 <= h <= 24 and 0 <= m < 60 and h * 60 + m <= 24 * 60 else None


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _span(start: int, end: int) -> str:
    """An OSM time span; "23:59" as an end is the end of the day."""
    if end == 23 * 60 + 59:
        end = 24 * 60
    return f"{_hhmm(start)}-{_hhmm(end)}"


def _days(indices: Sequence[int]) -> str:
    """OSM days for weekday indices (0 = Monday): runs as ranges."""
    chosen = sorted(set(indices))
    if len(chosen) == 7:
        return "Mo-Su"
    runs: list[list[int]] = []
    for d in chosen:
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return ",".join(_DAYS[r[0]] if len(r) == 1 else f"{_DAYS[r[0]]}-{_DAYS[r[-1]]}"
                    for r in runs)


def _range(first: int, last: int) -> list[int]:
    return list(range(first, last + 1)) if first <= last else [*range(first, 7),
                                                                *range(0, last + 1)]


def _day_tokens(text: str) -> list[tuple[int, int, list[int]]]:
    """``(start, end, days)`` of every day expression in ``text``."""
    found: list[tuple[int, int, list[int]]] = []
    taken = np.zeros(len(text) + 1, dtype=bool)

    def add(m: re.Match[str], days: list[int]) -> None:
        if not taken[m.start():m.end()].any():
            taken[m.start():m.end()] = True
            found.append((m.start(), m.end(), days))

    for m in _EVERY_DAY.finditer(text):
        add(m, list(range(7)))
    for m in _CN_RANGE.finditer(text):
        add(m, _range(_WEEKDAY[m.group(1)], _WEEKDAY[m.group(2)]))
    for m in _EN_RANGE.finditer(text):
        add(m, _range(_ENGLISH[m.group(1)[:3].lower()], _ENGLISH[m.group(2)[:3].lower()]))
    for m in _CN_LIST.finditer(text):
        add(m, [_WEEKDAY[c] for c in m.group(1) if c in _WEEKDAY])
    for m in _WORKDAYS.finditer(text):
        add(m, list(range(5)))
    for m in _WEEKEND.finditer(text):
        add(m, [5, 6])
    for m in _EN_ONE.finditer(text):
        add(m, [_ENGLISH[m.group(1)[:3].lower()]])
    return sorted(found)


def _closed_rules(text: str) -> tuple[list[str], str]:
    """``off`` rules a text states (a weekday closed, public holidays closed), and the text
    left once they are read."""
    rules: list[str] = []
    text = _WEEKEND_PAIR.sub("週末", _REGULAR_OFF.sub("週末及國定假日", text))
    rest = text
    clauses = re.split(r"[，,；;。、]|\s{2,}", text)
    if not _SPAN.search(text) and _CLOSED.search(text):  # "星期一，除夕，初一休館": one rule
        clauses = [text]
    for clause in clauses:
        spans = list(_SPAN.finditer(clause))
        if spans:  # "08:00-17:00 週一及國定假日休館": what follows the last time span
            clause = clause[spans[-1].end():]
        if not _CLOSED.search(clause):
            continue
        if _HOLIDAY.search(clause):
            rules.append("PH off")
        tokens = _day_tokens(_HOLIDAY.sub("", clause))
        days = sorted({d for _, _, ds in tokens for d in ds})
        if days:
            rules.append(f"{_days(days)} off")
        if _HOLIDAY.search(clause) or days:  # its words are read: the rest stays
            plain = _HOLIDAY.sub(" ", clause)
            for start, end, _ in reversed(_day_tokens(plain)):
                plain = plain[:start] + " " + plain[end:]
            rest = rest.replace(clause, _CLOSED.sub(" ", plain))
    return rules, rest


def text_to_opening_hours(text: Any) -> str | None:
    """Hours written as text (Chinese or English) as an OSM ``opening_hours`` value, or
    ``None`` when they cannot be read for sure.

    Day words (星期一…星期日, 周一…周日, 週一…, 工作日, 週末, 每天/每日, Mon–Fri, daily), time
    spans with 至 / 到 / - / ～ / to (several, and across midnight), all-day words (全天,
    全日, 24小時, 24/7), and closing rules (國定假日休館 → ``PH off``, 星期一休館 → ``Mo off``,
    例假日休息 → ``PH off; Sa-Su off``). A value already in OSM syntax (``Mo-Fr
    08:00-17:00; PH off``) is kept as it is.

    Examples
    --------
    >>> text_to_opening_hours("周一至周五 8:30-17:30，周六 9:00-12:00")
    'Mo-Fr 08:30-17:30; Sa 09:00-12:00'
    >>> text_to_opening_hours("24小時開放")
    '24/7'
    >>> text_to_opening_hours("00:00-23:59")
    'Mo-Su 00:00-24:00'
    >>> text_to_opening_hours("Mo-Fr 08:00-17:00; PH off")
    'Mo-Fr 08:00-17:00; PH off'
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    raw = str(text).strip()
    if not raw:
        return None
    if _is_osm_syntax(raw):
        return raw
    raw = _OSM_TWO.sub(lambda m: _THREE[m.group(1)], raw)
    closed, rest = _closed_rules(raw)
    if _SEASON.search(rest) or _unknown_words(rest):
        return None  # hours for some weeks only, or words it cannot read: not guessed
    spans = list(_SPAN.finditer(rest))
    if not spans:
        if _ALL_DAY.search(rest) and not _CLOSED.search(rest):
            return "24/7" if not closed else "; ".join(["Mo-Su 00:00-24:00", *closed])
        return None  # no span and no all-day word (closing rules alone): unknown
    days_at = _day_tokens(rest)
    rules: dict[str, list[str]] = {}
    for span in spans:
        start, end = _clock(span.group(1), span.group(2)), _clock(span.group(3), span.group(4))
        if start is None or end is None or start == end:
            return None
        before = [d for s, _, d in days_at if s < span.start()]
        days = before[-1] if before else list(range(7))
        rules.setdefault(_days(days), []).append(_span(start, end))
    out = [f"{days} {','.join(times)}" for days, times in rules.items()]
    return "; ".join(out + closed)


def _unknown_words(text: str) -> bool:
    """Whether ``text`` holds a Latin word that is not a day, a time word or a plain word
    (:data:`_PLAIN_WORDS`)."""
    plain = _ALL_DAY.sub(" ", _SPAN.sub(" ", text))
    for start, end, _ in reversed(_day_tokens(plain)):
        plain = plain[:start] + " " + plain[end:]
    plain = re.sub(_TO, " ", plain)
    return any(w.lower() not in _PLAIN_WORDS for w in _WORD.findall(plain))


def _is_osm_syntax(text: str) -> bool:
    """Whether ``text`` is an ``opening_hours`` value as OpenStreetMap writes it (its own
    day tokens, and the parser reads it)."""
    return bool(_OSM_DAY.search(text)) and _parses(text)


def _parses(text: str) -> bool:
    """Whether the ``opening_hours`` parser reads ``text``."""
    if not text or not text.isascii():
        return False
    from opening_hours import OpeningHours, ParserError  # type: ignore[attr-defined]

    try:
        OpeningHours(text)
    except (ParserError, ValueError):
        return False
    return True


def _group_hours(start: Any, end: Any) -> str | None:
    """One day group's hours from its start and end cells: a span, ``"off"`` (both blank),
    or ``None`` (unknown: "00:00"–"00:00", or unreadable)."""
    if pd.isna(start) and pd.isna(end):
        return "off"
    a = re.fullmatch(_TIME, str(start).strip()) if not pd.isna(start) else None
    b = re.fullmatch(_TIME, str(end).strip()) if not pd.isna(end) else None
    if a is None or b is None:
        return None
    first, last = _clock(a.group(1), a.group(2)), _clock(b.group(1), b.group(2))
    if first is None or last is None or first == last:
        return None  # "00:00"-"00:00": all day, or not filled in? Not known.
    return _span(first, last)


def _from_groups(row: Sequence[Any]) -> str | None:
    """``opening_hours`` from the day-group cells of one registry row."""
    parts = [(days, _group_hours(row[2 * i], row[2 * i + 1]))
             for i, (days, _, _) in enumerate(DAY_GROUP_COLUMNS)]
    if any(hours is None for _, hours in parts) or all(h == "off" for _, h in parts):
        return None
    if all(h == "00:00-24:00" for _, h in parts):
        return "24/7"
    return "; ".join(f"{days} {hours}" for days, hours in parts)


def _with_remark(hours: str | None, remark: Any) -> tuple[str | None, bool]:
    """The hours with a remark's rules applied, and whether the remark was read."""
    if remark is None or pd.isna(remark) or not str(remark).strip():
        return hours, True
    text = str(remark).strip()
    if _ALL_DAY.search(text) and not _CLOSED.search(text) and not _SPAN.search(text):
        return "24/7", True
    if _NO_DAY_OFF.fullmatch(text) or _NOTHING.fullmatch(text):  # the hours stand
        return hours, True
    closed, rest = _closed_rules(text)
    if closed and not re.search(r"\d", rest):
        return (None if hours is None else "; ".join([hours, *closed])), True
    return hours, False


def _column(frame: Any, names: Sequence[str]) -> str | None:
    lowered = {str(c).strip().lower(): c for c in frame.columns}
    return next((lowered[n.lower()] for n in names if n.lower() in lowered), None)


def registry_hours(frame: Any) -> tuple[np.ndarray, str | None, list[str]]:
    """The ``opening_hours`` of each row, read from its ``opening_hours`` column (OSM
    syntax, or text as registries write it), else a registry's day-group columns, else its
    hours text, each with its remarks; where they came from (``None``: no hours columns);
    and the remarks that could not be read (kept, counted, never guessed). An
    ``opening_hours`` value that is neither OSM syntax nor readable text is kept as it is
    (the parser then says it cannot read it).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"周一至周五起": ["00:00", "08:00", "00:00"],
    ...                      "周一至周五迄": ["23:59", "17:00", "00:00"],
    ...                      "周六起": ["00:00", None, "00:00"], "周六迄": ["23:59", None, "00:00"],
    ...                      "周日起": ["00:00", None, "00:00"], "周日迄": ["23:59", None, "00:00"],
    ...                      "開放使用時間備註": [None, "國定假日不對外開放", None]})
    >>> hours, source, unread = registry_hours(rows)
    >>> hours.tolist(), source
    (['24/7', 'Mo-Fr 08:00-17:00; Sa off; Su off; PH off', None], 'day groups')
    """
    n = len(frame)
    groups = [(_column(frame, starts), _column(frame, ends))
              for _, starts, ends in DAY_GROUP_COLUMNS]
    remark = _column(frame, REMARK_COLUMNS)
    text = _column(frame, TEXT_COLUMNS)
    remarks = frame[remark].to_numpy(dtype=object) if remark else np.full(n, None, object)
    if "opening_hours" in frame.columns:
        tags = frame["opening_hours"].to_numpy(dtype=object)
        hours = list(_texts(tags, tag=True))
        source = "opening_hours"
    elif all(a is not None and b is not None for a, b in groups):
        cells = frame[[c for pair in groups for c in pair]].to_numpy(dtype=object)
        hours = [_from_groups(row) for row in cells]
        source = "day groups"
    elif text is not None:
        hours = list(_texts(frame[text].to_numpy(dtype=object), tag=False))
        source = f"text ({text})"
    else:
        return np.full(n, None, dtype=object), None, []
    out, unread = [], []
    for h, r in zip(hours, remarks, strict=True):
        value, read = _with_remark(h, r)
        out.append(value)
        if not read:
            unread.append(str(r).strip())
    return np.asarray(out, dtype=object), source, unread


def _texts(values: np.ndarray, *, tag: bool) -> np.ndarray:
    """:func:`text_to_opening_hours` of each value, each distinct value read once. For an
    ``opening_hours`` tag (``tag``), a value the parser reads stays as it is, and one that
    cannot be read either way too (the parser then says so); else it is ``None``."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    if tag:
        read = [str(u).strip() or None if _parses(str(u).strip()) else
                text_to_opening_hours(u) or str(u).strip() or None for u in uniques]
    else:
        read = [text_to_opening_hours(u) for u in uniques]  # one read per distinct value
    table = np.asarray([*read, None], dtype=object)  # code -1 (missing) reads None
    return table[codes]


def hours_given(frame: Any) -> np.ndarray:
    """Each row's hours as the data give them, for an audit: the ``opening_hours`` tag,
    or a registry's day-group cells or hours text, with its remark.

    Examples
    --------
    >>> import pandas as pd
    >>> hours_given(pd.DataFrame({"開放時間": ["每日9:00-21:00"], "開放使用時間備註": ["週一休館"]}
    ...                          )).tolist()
    ['每日9:00-21:00 | 週一休館']
    """
    n = len(frame)
    groups = [(label, _column(frame, starts), _column(frame, ends))
              for label, starts, ends in DAY_GROUP_COLUMNS]
    text = _column(frame, TEXT_COLUMNS)
    if "opening_hours" in frame.columns:
        tags = frame["opening_hours"].astype(object)
        given = list(tags.where(tags.notna(), None))
    elif all(a is not None and b is not None for _, a, b in groups):
        def cell(value: Any) -> str:
            return "" if pd.isna(value) else str(value).strip()

        given = [" ".join(f"{label} {cell(frame[a].iloc[i])}-{cell(frame[b].iloc[i])}"
                          for label, a, b in groups) for i in range(n)]
    elif text is not None:
        given = [None if pd.isna(v) else str(v) for v in frame[text]]
    else:
        return np.full(n, None, dtype=object)
    remark = _column(frame, REMARK_COLUMNS)
    if remark is not None:
        given = [g if pd.isna(r) or not str(r).strip() else f"{g or ''} | {str(r).strip()}"
                 for g, r in zip(given, frame[remark], strict=True)]
    return np.asarray(given, dtype=object)
