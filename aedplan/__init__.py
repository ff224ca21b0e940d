"""aedplan: plan 4-minute AED rescue circles on real street networks.

Data flow: ``network -> reach -> (demand, candidates) -> coverage -> optimise -> render``.
Maps and outputs built from OpenStreetMap data: © OpenStreetMap contributors (ODbL).
"""

from importlib.metadata import PackageNotFoundError, version

from .candidates import (
    candidates_from_buildings,
    candidates_from_features,
    candidates_from_network,
    candidates_from_points,
    candidates_from_pois,
    exclude_existing,
)
from .circles import rescue_circles
from .coverage import coverage_matrix, coverage_stats, coverage_times, hot_spots
from .demand import (
    demand_from_buildings,
    demand_from_grid,
    demand_from_network,
    demand_from_points,
)
from .errors import (
    AedplanError,
    AedplanWarning,
    CRSError,
    DataError,
    InfeasibleError,
    InputError,
    SolverError,
)
from .io import read_points, write_outputs
from .network import WalkNetwork, load_network, network_from_arrays
from .optimise import (
    Plan,
    coverage_curve,
    greedy_mclp,
    solve_backup,
    solve_mclp,
    solve_min_sites,
)
from .pipeline import run
from .plan import SitePlan, coverage_today, plan_sites
from .reach import reach_times
from .render import render_map, render_png, save_map
from .snapping import snap
from .timemodel import TimeModel

try:
    __version__ = version("aedplan")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+unknown"
del PackageNotFoundError, version

__all__ = [
    "AedplanError",
    "AedplanWarning",
    "CRSError",
    "DataError",
    "InfeasibleError",
    "InputError",
    "Plan",
    "SitePlan",
    "SolverError",
    "TimeModel",
    "WalkNetwork",
    "__version__",
    "candidates_from_buildings",
    "candidates_from_features",
    "candidates_from_network",
    "candidates_from_points",
    "candidates_from_pois",
    "coverage_curve",
    "coverage_matrix",
    "coverage_stats",
    "coverage_times",
    "coverage_today",
    "demand_from_buildings",
    "demand_from_grid",
    "demand_from_network",
    "demand_from_points",
    "exclude_existing",
    "greedy_mclp",
    "hot_spots",
    "load_network",
    "network_from_arrays",
    "plan_sites",
    "reach_times",
    "read_points",
    "render_map",
    "render_png",
    "rescue_circles",
    "run",
    "save_map",
    "snap",
    "solve_backup",
    "solve_mclp",
    "solve_min_sites",
    "write_outputs",
]
