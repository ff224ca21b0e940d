"""Data that ships with aedplan, usable offline."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import DataError

__all__ = ["DEFAULT_LABEL", "default_osm_path"]

#: Credit to show with any map or figure made from OpenStreetMap data.
OSM_CREDIT = "© OpenStreetMap contributors"
#: Where that credit links to: the licence and its terms.
OSM_COPYRIGHT_URL = "https://www.openstreetmap.org/copyright"


#: The embedded default's file name (in ``aedplan/data``) and what it is.
DEFAULT_OSM = "vaduz-schaan-2024-03-03.osm.pbf"
DEFAULT_LABEL = "Vaduz and Schaan, Liechtenstein, OpenStreetMap of 2024-03-03"


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
