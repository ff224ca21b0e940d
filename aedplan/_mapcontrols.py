"""Small controls of the web map, each a script run once the map is made: a metric scale
bar, rank badges of proposed sites that never hide one another, and Leaflet's buttons
named in the map's language."""

from __future__ import annotations

from typing import Any

from ._mappanels import macro
from ._words import Words

__all__ = ["map_controls"]

# A scale bar in metres and kilometres only, in either language.
_METRIC_SCALE = """
{% macro script(this, kwargs) %}
L.control.scale({imperial: false, metric: true}).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""

# Rank badges never hide one another: after each zoom, a badge that would overlap a better
# site's becomes a small dot, and the badge on top says how many it stands for ("+2").
_RANK_SPREAD = """
{% macro script(this, kwargs) %}
(function () {
    var map = {{ this._parent.get_name() }};
    function spread() {
        var badges = Array.prototype.slice.call(
            map.getContainer().querySelectorAll(".aedplan-site"));
        badges.forEach(function (b) {
            b.classList.remove("aedplan-under");
            b.firstChild.removeAttribute("data-more");
        });
        badges.sort(function (a, b) { return Number(a.textContent) - Number(b.textContent); });
        var placed = [];
        badges.forEach(function (b) {
            var r = b.firstChild.getBoundingClientRect();
            if (!r.width || getComputedStyle(b.firstChild).color === "rgba(0, 0, 0, 0)") {
                return;  /* a dot already (far away) */
            }
            var over = placed.find(function (p) {
                return r.left < p.r.right && p.r.left < r.right && r.top < p.r.bottom
                    && p.r.top < r.bottom;
            });
            if (over) {
                b.classList.add("aedplan-under");
                over.more += 1;
                over.b.firstChild.setAttribute("data-more", "+" + over.more);
            } else {
                placed.push({b: b, r: r, more: 0});
            }
        });
    }
    map.on("zoomend overlayadd", spread);
    map.whenReady(function () { setTimeout(spread, 0); });
    window.aedplanSpreadRanks = spread;
})();
{% endmacro %}
"""


# Leaflet's buttons say what they do (their title and aria-label: what a mouse shows and a
# screen reader says) in the map's language, once every control is on the map.
_BUTTON_NAMES = """
{% macro script(this, kwargs) %}
(function () {
    var map = {{ this._parent.get_name() }}, said = {{ this.said|tojson }};
    function name() {
        Object.keys(said).forEach(function (css) {
            map.getContainer().querySelectorAll("." + css).forEach(function (a) {
                a.title = said[css];
                a.setAttribute("aria-label", said[css]);
            });
        });
    }
    map.whenReady(function () { setTimeout(name, 0); });
    map.on("popupopen", name);  // a popup's close button is made when it opens
})();
{% endmacro %}
"""


def map_controls(words: Words) -> list[Any]:
    """The controls, to add to a map: the metric scale bar, the badges' spreading and
    the names of Leaflet's buttons in the language of ``words``."""
    said = {"leaflet-control-zoom-in": words("Zoom in"),
            "leaflet-control-zoom-out": words("Zoom out"),
            "leaflet-control-layers-toggle": words("Layers"),
            "leaflet-popup-close-button": words("Close")}
    return [macro("MetricScale", _METRIC_SCALE), macro("RankSpread", _RANK_SPREAD),
            macro("ButtonNames", _BUTTON_NAMES, said=said)]
