"""Choose new AED sites on a sparse coverage matrix.

Every solver works on plain arrays, so analysts can bring their own coverage matrices:

- ``A``: a scipy.sparse (or dense) ``n_demand x n_sites`` boolean matrix, ``A[i, j]`` True when
  candidate site ``j`` covers demand point ``i`` (it is within the rescue circle);
- ``weights``: ``(n_demand,)`` non-negative demand weights;
- ``fixed``: optional column indices of ``A`` that are in every solution and cost nothing:
  the existing AEDs, when ``A`` has a column for each (a relocation model can free them);
- ``covered``: optional ``(n_demand,)`` booleans, demand already covered some other way (it
  counts as covered and never needs a new site).

Problems solved
---------------
:func:`solve_mclp`
    Maximal covering: at most ``budget`` new sites, as much covered weight as possible. The
    exact path reduces the instance, warm-starts from the lazy greedy, removes sites that a
    Lagrangian bound proves useless, and hands the rest to HiGHS: part by part, each part
    first at a price per site, or whole, with odd-cycle cuts at its root LP. It reports a
    proven upper bound and the gap either way.
:func:`greedy_mclp`
    The lazy greedy alone (fast; within ``1 - 1/e`` of the optimum in theory, typically within
    1% in practice).
:func:`solve_min_sites`
    The fewest new sites that reach a target share of the total demand weight.
:func:`solve_backup`
    Maximal covering that also values a second AED in reach (backup coverage).
:func:`coverage_curve`
    Covered weight against the number of new sites.
:func:`solve_constrained`
    Maximal covering with today's AEDs as sites that may be moved (relocation) and floors
    per group of rows and sites (every district covered to a share, or holding so many
    AEDs); returns a :class:`Constrained` (the sites, which AEDs move, the proven bound).
:func:`weekly_instance`
    The instance of a week, when AEDs are available only some hours: any solver above
    then maximises the coverage a patient gets round the clock.

Each returns a :class:`Plan` (the curve a DataFrame) whose ``sites`` are ranked by marginal
gain: the first adds most, the second adds most given the first, and so on. "Proven optimal"
means the proven bound is within ``1e-9`` (relative) of the objective, or within ``1e-6`` of a
mean demand weight as HiGHS judges it.

The package, one concern a module: ``_inputs`` (argument checks), ``_reduce`` (exact
reductions), ``_greedy`` (lazy greedy and swap search), ``_lagrange`` (Lagrangian bound and
fixing), ``_cuts`` (odd-cycle cuts at the root LP), ``_highs`` (the one HiGHS model,
deadline and acceptance), ``_values`` (what a choice is worth), ``result`` (:class:`Plan`),
``parts`` (independent parts of an instance, and a budget shared among them by dynamic
programming), ``_core`` (the MILP on what the bound leaves open, and a part priced) and
``_bypart`` (that core solved part by part); then one module per problem: ``mclp``,
``min_sites``, ``backup``, ``curve``, and ``weekly`` for the hours of a week.
"""

from .. import _validate
from .backup import solve_backup
from .constrained import Constrained, solve_constrained
from .curve import coverage_curve
from .mclp import Solver, greedy_mclp, solve_mclp
from .min_sites import solve_min_sites
from .result import Plan
from .weekly import weekly_instance

#: The relative gap at which every solve stops by default, the array solvers here as
#: :func:`aedplan.plan_sites`, :func:`aedplan.run` and ``aedplan plan --gap``: 0.01%, the
#: default of HiGHS, Gurobi and CPLEX. ``mip_rel_gap=0`` proves optimality.
DEFAULT_MIP_GAP = _validate.DEFAULT_MIP_GAP

__all__ = [
    "DEFAULT_MIP_GAP",
    "Constrained",
    "Plan",
    "Solver",
    "coverage_curve",
    "greedy_mclp",
    "solve_backup",
    "solve_constrained",
    "solve_mclp",
    "solve_min_sites",
    "weekly_instance",
]
