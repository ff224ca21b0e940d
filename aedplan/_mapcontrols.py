"""Small controls of the web map, each a script run once the map is made: a metric scale
bar, and rank badges of proposed sites that never hide one another."""

from __future__ import annotations

from typing import Any

from ._mappanels import macro

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


def map_controls() -> list[Any]:
    """The controls, to add to a map: the metric scale bar and the badges' spreading."""
    return [macro("MetricScale", _METRIC_SCALE), macro("RankSpread", _RANK_SPREAD)]
