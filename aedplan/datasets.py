"""Data that ships with aedplan, usable offline."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import DataError

__all__ = ["DEFAULT_BOUNDS", "DEFAULT_LABEL", "default_osm_path", "within_default"]

#: Credit to show with any map or figure made from OpenStreetMap data.
OSM_CREDIT = "© OpenStreetMap contributors"
#: Where that credit links to: the licence and its terms.
OSM_COPYRIGHT_URL = "https://www.openstreetmap.org/copyright"


#: The embedded default's file name (in ``aedplan/data``) and what it is.
DEFAULT_OSM = "vaduz-schaan-2024-03-03.osm.pbf"
DEFAULT_LABEL = "Vaduz and Schaan, Liechtenstein, OpenStreetMap of 2024-03-03"


#: The embedded default's streets span this box (W, S, E, N, degrees).
DEFAULT_BOUNDS = (9.488, 47.111, 9.559, 47.187)


def within_default(bbox: tuple[float, float, float, float]) -> bool:
    """Whether a box W,S,E,N (degrees) lies within the embedded default's streets, read
    as given or with longitude and latitude swapped (then the run says so).

    >>> within_default((9.51, 47.13, 9.53, 47.15)), within_default((47.13, 9.51, 47.15, 9.53))
    (True, True)
    >>> within_default((9.0, 47.0, 9.6, 47.3))
    False
    """
    w, s, e, n = DEFAULT_BOUNDS

    def inside(x0: float, y0: float, x1: float, y1: float) -> bool:
        return w <= x0 <= x1 <= e and s <= y0 <= y1 <= n

    a, b, c, d = (float(v) for v in bbox)
    return inside(a, b, c, d) or inside(b, a, d, c)


def default_osm_path() -> Path:
    """Path of the embedded default: the real OpenStreetMap extract of Vaduz and Schaan
    (Liechtenstein, 2024-03-03, about 30 km², © OpenStreetMap contributors, ODbL) that
    is installed with aedplan. It has streets, 4,802 buildings, points of interest and
    75 AEDs with their access tags and opening hours.

    >>> default_osm_path().name
    'vaduz-schaan-2024-03-03.osm.pbf'
    """
    path = Path(str(resources.files("aedplan").joinpath("data", DEFAULT_OSM)))
    if not path.exists():
        raise DataError(
            "the embedded default extract is missing from the aedplan install ({path}); "
            "reinstall aedplan or pass an OSM file.", path=path,
        )
    return path
