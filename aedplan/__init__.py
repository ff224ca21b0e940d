"""aedplan: plan 4-minute AED rescue circles on real street networks.

Data flow: ``network -> reach -> (demand, candidates) -> coverage -> optimise -> render``.
Maps and outputs built from OpenStreetMap data: © OpenStreetMap contributors (ODbL).
"""

from importlib.metadata import PackageNotFoundError, version

from .coverage import coverage_matrix, coverage_stats, coverage_times, hot_spots
from .errors import (
    AedplanError,
    AedplanWarning,
    CRSError,
    DataError,
    InfeasibleError,
    InputError,
    SolverError,
)
from .io import read_points
from .network import WalkNetwork, load_network, network_from_arrays
from .reach import TimeModel, reach_times, rescue_circles, snap

try:
    __version__ = version("aedplan")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "AedplanError",
    "AedplanWarning",
    "CRSError",
    "DataError",
    "InfeasibleError",
    "InputError",
    "SolverError",
    "TimeModel",
    "WalkNetwork",
    "__version__",
    "coverage_matrix",
    "coverage_stats",
    "coverage_times",
    "hot_spots",
    "load_network",
    "network_from_arrays",
    "reach_times",
    "read_points",
    "rescue_circles",
    "snap",
]
