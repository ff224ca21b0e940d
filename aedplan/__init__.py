"""aedplan: plan 4-minute AED rescue circles on real street networks.

Data flow::

    network -> reach -> (demand, candidates) -> coverage -> optimise -> plan -> render

Every GeoDataFrame a reader or a ``*_from_*`` builder gives (AEDs, buildings, places,
population, points along the streets, street nodes), and the hot spots, is in WGS84
lon/lat (EPSG:4326), so that frames of several sources concatenate; every one a stage
computes on a network (rescue circles, plans, demand with its times) is in the
network's metric CRS, ``net.crs``. Files and maps are written in WGS84. The time model
is passed as ``model=TimeModel(...)``.

Maps and outputs built from OpenStreetMap data: © OpenStreetMap contributors (ODbL).
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below are imported on first use (see __getattr__)
    from ._datum import bd09_to_wgs84, gcj02_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02
    from .candidates import (
        candidates_from_buildings,
        candidates_from_features,
        candidates_from_network,
        candidates_from_points,
        candidates_from_pois,
        exclude_existing,
    )
    from .circles import RescueCircles, rescue_circles
    from .coverage import (
        CoverageStats,
        HourlyCoverage,
        coverage_matrix,
        coverage_stats,
        coverage_times,
        hot_spots,
        hourly_coverage,
    )
    from .demand import (
        demand_from_buildings,
        demand_from_grid,
        demand_from_network,
        demand_from_points,
    )
    from .density import aeds_for_density, density_numbers
    from .errors import (
        AedplanError,
        AedplanWarning,
        CRSError,
        DataError,
        InfeasibleError,
        InputError,
        ResourceError,
        SolverError,
    )
    from .figure import render_png
    from .hours import Availability, arrest_profile, availability, reference_week
    from .io import read_points
    from .maplayers import MapLayers, MapSummary
    from .network import WalkNetwork, load_network, network_from_arrays
    from .optimise import (
        Constrained,
        Plan,
        coverage_curve,
        greedy_mclp,
        solve_backup,
        solve_constrained,
        solve_mclp,
        solve_min_sites,
        weekly_instance,
    )
    from .outputs import write_outputs, write_province, write_validation
    from .pipeline import compare, run
    from .plan import SitePlan, coverage_today, plan_sites
    from .poi_presets import poi_preset
    from .province import ProvincePlan, plan_province
    from .reach import ReachTimes, reach_times
    from .render import render_map, save_map
    from .results import Comparison, PlanRun
    from .scenario import Scenario
    from .snapping import Snapped, snap
    from .timemodel import TimeModel
    from .validate import Validation, validate_plans


#: Where each public name lives; importing aedplan imports none of them until used, so
#: that ``import aedplan.optimise`` (the solver's own process) or ``aedplan --help``
#: does not pay for geopandas, folium and matplotlib.
_WHERE = {
    "AedplanError": "errors",
    "AedplanWarning": "errors",
    "aeds_for_density": "density",
    "arrest_profile": "hours",
    "Availability": "hours",
    "availability": "hours",
    "bd09_to_wgs84": "_datum",
    "candidates_from_buildings": "candidates",
    "candidates_from_features": "candidates",
    "candidates_from_network": "candidates",
    "candidates_from_points": "candidates",
    "candidates_from_pois": "candidates",
    "coverage_curve": "optimise",
    "coverage_matrix": "coverage",
    "coverage_stats": "coverage",
    "coverage_times": "coverage",
    "coverage_today": "plan",
    "CoverageStats": "coverage",
    "CRSError": "errors",
    "DataError": "errors",
    "demand_from_buildings": "demand",
    "demand_from_grid": "demand",
    "demand_from_network": "demand",
    "demand_from_points": "demand",
    "density_numbers": "density",
    "exclude_existing": "candidates",
    "gcj02_to_wgs84": "_datum",
    "greedy_mclp": "optimise",
    "hot_spots": "coverage",
    "hourly_coverage": "coverage",
    "HourlyCoverage": "coverage",
    "InfeasibleError": "errors",
    "InputError": "errors",
    "load_network": "network",
    "MapLayers": "maplayers",
    "MapSummary": "maplayers",
    "network_from_arrays": "network",
    "Plan": "optimise",
    "plan_sites": "plan",
    "PlanRun": "results",
    "Comparison": "results",
    "Constrained": "optimise",
    "compare": "pipeline",
    "Scenario": "scenario",
    "poi_preset": "poi_presets",
    "plan_province": "province",
    "ProvincePlan": "province",
    "reach_times": "reach",
    "ReachTimes": "reach",
    "read_points": "io",
    "reference_week": "hours",
    "render_map": "render",
    "render_png": "figure",
    "rescue_circles": "circles",
    "RescueCircles": "circles",
    "ResourceError": "errors",
    "run": "pipeline",
    "save_map": "render",
    "SitePlan": "plan",
    "snap": "snapping",
    "Snapped": "snapping",
    "solve_backup": "optimise",
    "solve_constrained": "optimise",
    "solve_mclp": "optimise",
    "solve_min_sites": "optimise",
    "SolverError": "errors",
    "TimeModel": "timemodel",
    "Validation": "validate",
    "validate_plans": "validate",
    "WalkNetwork": "network",
    "weekly_instance": "optimise",
    "wgs84_to_bd09": "_datum",
    "wgs84_to_gcj02": "_datum",
    "write_outputs": "outputs",
    "write_province": "outputs",
    "write_validation": "outputs",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        try:  # a module of the package, e.g. aedplan.datasets
            return import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise  # the module is there, but something it needs is not
            raise AttributeError(f"module 'aedplan' has no attribute {name!r}") from None
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


try:
    __version__ = version("aedplan")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+unknown"
del PackageNotFoundError, version

__all__ = [
    "AedplanError",
    "AedplanWarning",
    "Availability",
    "CRSError",
    "Comparison",
    "Constrained",
    "CoverageStats",
    "DataError",
    "HourlyCoverage",
    "InfeasibleError",
    "InputError",
    "MapLayers",
    "MapSummary",
    "Plan",
    "PlanRun",
    "ProvincePlan",
    "ReachTimes",
    "RescueCircles",
    "ResourceError",
    "Scenario",
    "SitePlan",
    "Snapped",
    "SolverError",
    "TimeModel",
    "Validation",
    "WalkNetwork",
    "__version__",
    "aeds_for_density",
    "arrest_profile",
    "availability",
    "bd09_to_wgs84",
    "candidates_from_buildings",
    "candidates_from_features",
    "candidates_from_network",
    "candidates_from_points",
    "candidates_from_pois",
    "compare",
    "coverage_curve",
    "coverage_matrix",
    "coverage_stats",
    "coverage_times",
    "coverage_today",
    "demand_from_buildings",
    "demand_from_grid",
    "demand_from_network",
    "demand_from_points",
    "density_numbers",
    "exclude_existing",
    "gcj02_to_wgs84",
    "greedy_mclp",
    "hot_spots",
    "hourly_coverage",
    "load_network",
    "network_from_arrays",
    "plan_province",
    "plan_sites",
    "poi_preset",
    "reach_times",
    "read_points",
    "reference_week",
    "render_map",
    "render_png",
    "rescue_circles",
    "run",
    "save_map",
    "snap",
    "solve_backup",
    "solve_constrained",
    "solve_mclp",
    "solve_min_sites",
    "validate_plans",
    "weekly_instance",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
    "write_outputs",
    "write_province",
    "write_validation",
]
