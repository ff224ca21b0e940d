"""Leaflet inside the page: its script and style (with the style's images as data URIs),
read from the ``django-js-lib-leaflet`` package, which ships Leaflet's own ``dist`` files
and nothing else (it needs no Django to be read). A map that carries them opens with no
network at all: on an intranet, behind a firewall, or where a CDN is blocked.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from importlib import resources

__all__ = ["leaflet_css", "leaflet_js"]

_PACKAGE = "js_lib_leaflet"
_DIST = ("static", "js_lib_leaflet")


def _dist(name: str) -> bytes:
    return resources.files(_PACKAGE).joinpath(*_DIST, name).read_bytes()


@lru_cache(maxsize=1)
def leaflet_js() -> str:
    """Leaflet's minified script, without its source-map comment."""
    code = _dist("leaflet.js").decode("utf-8")
    return re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", code)


@lru_cache(maxsize=1)
def leaflet_css() -> str:
    """Leaflet's style sheet, its images inlined as data URIs."""
    css = _dist("leaflet.css").decode("utf-8")

    def inline(match: re.Match[str]) -> str:
        data = base64.b64encode(_dist(match.group(1))).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)

