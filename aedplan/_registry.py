"""Point lists exported from Chinese map providers' place search: Amap (高德), Tencent
(腾讯) and Baidu (百度).

Such an export keeps each place's coordinates in one ``location`` column: Amap writes
``"lng,lat"`` (``"116.397428,39.90923"``), Baidu and Tencent a JSON object
(``{"lng": 116.404, "lat": 39.915}``, Baidu's ``bd09ll`` form). :func:`location_lonlat`
reads either, for any table with such a column.

The coordinates are not WGS84: Amap and Tencent publish GCJ-02, Baidu BD-09 (unless the
export asked for another ``coord_type``). :func:`recognise` tells the provider from the
columns only that provider writes, so that a reader can ask for ``datum`` to be
confirmed instead of silently placing every AED a few hundred metres off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["LOCATION_NAMES", "PROVIDERS", "Provider", "location_lonlat", "recognise"]

#: Names of a column holding both coordinates, compared after strip() and lower().
LOCATION_NAMES = ("location", "lnglat", "lng_lat", "lonlat", "lon_lat", "经纬度", "坐标")


@dataclass(frozen=True)
class Provider:
    """A map provider's place-search export: its name, the datum of its coordinates, and
    the columns (lower case) that only its exports carry."""

    name: str
    datum: str
    columns: frozenset[str]


#: The exports recognised, by provider. Two or more of a provider's own columns name it.
PROVIDERS: dict[str, Provider] = {
    "amap": Provider("an Amap (高德) place-search export", "gcj02", frozenset({
        "pname", "cityname", "adname", "typecode", "pcode", "citycode", "adcode",
        "biz_type", "navi_poiid", "entr_location", "business_area"})),
    "tencent": Provider("a Tencent (腾讯) place-search export", "gcj02", frozenset({
        "title", "category", "ad_info", "ad_info.adcode", "ad_info.province",
        "ad_info.city", "ad_info.district", "_distance"})),
    "baidu": Provider("a Baidu (百度) place-search export", "bd09", frozenset({
        "uid", "street_id", "area", "detail", "detail_info", "telephone"})),
}

_PAIR = r"^\s*\(?\s*(-?\d+(?:\.\d+)?)\s*[,，;]\s*(-?\d+(?:\.\d+)?)\s*\)?\s*$"
_KEY = r"""['"]?{key}['"]?\s*[:=]\s*['"]?(-?\d+(?:\.\d+)?)"""


def recognise(columns: Sequence[Any]) -> tuple[Provider, list[str]] | None:
    """The provider whose export has these columns, and the columns that tell it; ``None``
    when no provider has two of its own columns among them.

    >>> provider, seen = recognise(["id", "name", "location", "pname", "cityname", "adname"])
    >>> provider.datum, seen
    ('gcj02', ['adname', 'cityname', 'pname'])
    >>> recognise(["name", "lon", "lat"]) is None
    True
    """
    names = {str(c).strip().lower() for c in columns}
    scored = sorted(((len(p.columns & names), key) for key, p in PROVIDERS.items()),
                    reverse=True)
    hits, key = scored[0]
    if hits < 2 or hits == scored[1][0]:
        return None
    provider = PROVIDERS[key]
    return provider, sorted(provider.columns & names)


def location_column(columns: Sequence[Any]) -> Any:
    """The one column named like ``location`` (:data:`LOCATION_NAMES`), or ``None``."""
    found = [c for c in columns if str(c).strip().lower() in LOCATION_NAMES]
    return found[0] if len(found) == 1 else None


def location_lonlat(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude from one column: ``"lng,lat"`` text (Amap) or an object
    with ``lng``/``lat`` keys, as JSON text or as a dict (Baidu, Tencent). NaN where a
    value is neither.

    >>> lon, lat = location_lonlat(pd.Series(["116.397428,39.90923",
    ...     '{"lng": 116.404, "lat": 39.915}', {"lat": 22.5, "lng": 114.1}, "somewhere"]))
    >>> lon.tolist(), lat.tolist()
    ([116.397428, 116.404, 114.1, nan], [39.90923, 39.915, 22.5, nan])
    """
    text = values.map(_as_text).astype("string")
    pair = text.str.extract(_PAIR)

    def keyed(key: str) -> pd.Series:
        found = text.str.extract(_KEY.format(key=key), expand=False)
        return pd.to_numeric(found, errors="coerce").astype(float)

    lon = pd.to_numeric(pair[0], errors="coerce").astype(float)
    lat = pd.to_numeric(pair[1], errors="coerce").astype(float)
    lon = lon.fillna(keyed("lng")).fillna(keyed("lon"))
    lat = lat.fillna(keyed("lat"))
    return lon.to_numpy(dtype=float, na_value=np.nan), lat.to_numpy(dtype=float, na_value=np.nan)


def _as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return ", ".join(f'"{k}": {v}' for k, v in value.items())
    return value
