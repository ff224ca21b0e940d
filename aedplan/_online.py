"""Downloads through osmnx (a place name or a bbox), with one clear error for each way
they fail: an unknown place or an empty answer, and no connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import DataError, InputError


def fetch(get: Callable[[], Any], *, what: str, fix: str, thing: str = "walk network") -> Any:
    """Run an osmnx download of ``thing`` for ``what`` (e.g. "place 'Vaduz'")."""
    try:
        return get()
    except (ValueError, TypeError, LookupError) as exc:  # geocoder / empty response
        raise InputError(f"`source`: no {thing} found for {what}: {exc}. {fix}.") from exc
    except OSError as exc:  # requests' ConnectionError and timeouts are OSErrors
        raise DataError(
            f"`source`: could not download the {thing} for {what} from OpenStreetMap "
            f"({type(exc).__name__}). Check the internet connection, or download an extract "
            "(e.g. from download.geofabrik.de) and pass the .osm.pbf file."
        ) from exc


def features(tags: dict[str, Any], *, place: str | None, bbox: Any, thing: str) -> Any:
    """OpenStreetMap features with ``tags`` for a place or a bbox (W, S, E, N), through
    osmnx's ``features_from_place`` / ``features_from_bbox``."""
    import osmnx as ox

    if place is not None:
        return fetch(lambda: ox.features_from_place(place, tags=tags), what=f"place {place!r}",
                     fix="Check the place name", thing=thing)
    return fetch(lambda: ox.features_from_bbox(tuple(bbox), tags=tags), what="bbox",
                 fix="Check the bbox", thing=thing)
