"""Text for the web map: the one place where data becomes HTML, and the columns a layer
reads. Names and tags come from files anyone can edit, so every string that reaches the
page is escaped exactly once, in :func:`html_text`.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from .maplayers import AED_KINDS

__all__ = ["MISSING", "aed_kinds", "column", "html_text", "is_missing", "localised"]

MISSING = "not given"
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def is_missing(value: Any) -> bool:
    return value is None or bool(pd.api.types.is_scalar(value) and pd.isna(value))


def html_text(value: Any, missing: str = MISSING) -> str:
    """The one place where data becomes HTML: ``str``, :func:`html.escape`, and braces.

    Braces become character references too: branca compiles each rendered element
    (with the embedded GeoJSON) as a Jinja template again, so a name such as
    ``{{ 7*7 }}`` would otherwise be evaluated in Python while the page is rendered,
    with access to ``os`` through Jinja's globals. Browsers show ``&#123;`` as ``{``.
    """
    text = html.escape(missing if is_missing(value) else str(value))
    return text.translate(_BRACES)


def column(frame: Any, name: str) -> list[Any]:
    if name in frame.columns:
        return list(frame[name])
    return [None] * len(frame)


def localised(frame: Any, key: str, lang: str) -> list[Any]:
    """The values of tag ``key`` in language ``lang`` where the data has them (OSM's
    ``name:zh``, ``name:en``), else as given (``name``); ``None`` where neither is.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"name": ["Rathaus", "湖北大学", None],
    ...                       "name:en": [None, "Hubei University", None]})
    >>> localised(frame, "name", "en")
    ['Rathaus', 'Hubei University', None]
    >>> localised(frame, "name", "zh")
    ['Rathaus', '湖北大学', None]
    """
    given = [None if is_missing(g) else g for g in column(frame, key)]
    for own in reversed(own_keys(key, lang)):  # the first the data has wins
        given = [g if is_missing(o) or o == "" else o
                 for g, o in zip(given, column(frame, own), strict=True)]
    return given


def own_keys(key: str, lang: str) -> tuple[str, ...]:
    """The OSM tags of ``key`` in language ``lang``, the most fitting first: Taiwan's
    names are tagged ``name:zh-TW``, ``name:zh-Hant`` or ``name:zh`` (in Traditional).

    >>> own_keys("name", "zh-TW")
    ('name:zh-TW', 'name:zh-Hant', 'name:zh')
    """
    return tuple(f"{key}:{code}" for code in _OWN.get(lang, (lang,)))


#: The language codes OSM tags a name in, for each language of the map.
_OWN = {"zh": ("zh-Hans", "zh-CN", "zh"), "zh-TW": ("zh-TW", "zh-Hant", "zh"),
        "zh-HK": ("zh-HK", "zh-Hant", "zh")}


def aed_kinds(frame: Any) -> list[str]:
    """Who may use each AED and when (``hours_kind``), ``"any"`` where it is not known."""
    kinds = column(frame, "hours_kind")
    return [k if k in AED_KINDS else "any" for k in kinds]
