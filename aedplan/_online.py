"""Downloads through osmnx (a place name or a bbox), with one clear error for each way
they fail: an unknown place or an empty answer, and no connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import DataError, InputError, Phrase

_WALK_NETWORK = Phrase("walk network")


def fetch(get: Callable[[], Any], *, what: Phrase, fix: Phrase,
          thing: Phrase = _WALK_NETWORK) -> Any:
    """Run an osmnx download of ``thing`` for ``what`` (e.g. "place 'Vaduz'"), each in
    words said in the error's language."""
    try:
        return get()
    except (ValueError, TypeError, LookupError) as exc:  # geocoder / empty response
        raise InputError("`source`: no {thing} found for {what}: {detail}. {fix}.",
                         thing=thing, what=what, detail=str(exc), fix=fix) from exc
    except OSError as exc:  # requests' ConnectionError and timeouts are OSErrors
        raise DataError(
            "`source`: could not download the {thing} for {what} from OpenStreetMap "
            "({kind}). Check the internet connection, or download an extract "
            "(e.g. from download.geofabrik.de) and pass the .osm.pbf file.",
            thing=thing, what=what, kind=type(exc).__name__,
        ) from exc


def features(tags: dict[str, Any], *, place: str | None, bbox: Any, thing: Phrase) -> Any:
    """OpenStreetMap features with ``tags`` for a place or a bbox (W, S, E, N), through
    osmnx's ``features_from_place`` / ``features_from_bbox``."""
    import osmnx as ox

    if place is not None:
        return fetch(lambda: ox.features_from_place(place, tags=tags),
                     what=Phrase("place {place!r}", {"place": place}),
                     fix=Phrase("Check the place name"), thing=thing)
    return fetch(lambda: ox.features_from_bbox(tuple(bbox), tags=tags), what=Phrase("bbox"),
                 fix=Phrase("Check the bbox"), thing=thing)
