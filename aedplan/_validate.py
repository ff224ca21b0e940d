"""Input checks in one place: each collects every problem and raises once.

Scalar checks (:func:`time_model`, :func:`positive`, :func:`has_crs`) raise at once;
the array checks of the optimiser add to a :class:`Problems` collector, which raises one
:class:`~aedplan.errors.InputError` naming every problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ._caller import warn
from ._format import number
from .errors import CRSError, InputError, Joined, Phrase

MODES = ("round-trip", "one-way")


class Problems:
    """Problems found in the arguments of one call, raised together: each a
    :class:`~aedplan.errors.Phrase`, said in the error's language."""

    def __init__(self) -> None:
        self.items: list[Phrase] = []

    def add(self, problem: Phrase) -> None:
        self.items.append(problem)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        """One :class:`InputError` naming every problem (numbered when several)."""
        if len(self.items) == 1:
            raise InputError("{problem}", problem=self.items[0])
        if self.items:
            raise InputError(
                "{n} problems with the input: {problems}", n=len(self.items),
                problems=Joined([Phrase("({k}) {problem}.", {"k": k, "problem": p})
                                 for k, p in enumerate(self.items, 1)], sep=" "))


def and_list(items: Any) -> Any:
    """``items`` said one after another with "and" between (``a and b and c``)."""
    items = list(items)
    said = items[0]
    for item in items[1:]:
        said = Phrase("{a} and {b}", {"a": said, "b": item})
    return said


def time_model(minutes: Any, mode: Any, speed_m_s: Any) -> tuple[float, str, float]:
    """Check the rescue-circle time model and return it normalised."""
    problems = Problems()
    m = number(minutes)
    if m is None or m <= 0:
        problems.add(Phrase("`minutes` must be a positive number of minutes, got {minutes!r}",
                            {"minutes": minutes}))
    if mode not in MODES:
        problems.add(Phrase(
            "`mode` must be 'round-trip' (fetch the AED and come back) or 'one-way' "
            "(the AED is carried from its site to the patient), got {mode!r}", {"mode": mode}))
    s = number(speed_m_s)
    if s is None or s <= 0:
        problems.add(Phrase(
            "`speed_m_s` must be a positive walking speed in m/s (1.4 is a walk, about 2.0 "
            "a hurried walk), got {speed!r}", {"speed": speed_m_s}))
    elif s > 12:
        problems.add(Phrase(
            "`speed_m_s` is {speed} m/s, faster than a sprinter; give the speed in metres per "
            "second, not km/h", {"speed": s}))
    if problems:
        raise InputError("{problems}", problems=Joined(problems.items))
    assert m is not None and s is not None  # for type checkers; checked above
    _unusual(m, s)
    return m, str(mode), s


#: Above this walking speed (m/s) a bystander is running; above this budget (minutes) a
#: circle no longer describes a rescue (survival falls 7-10% a minute).
RUNNING_M_S, LONGEST_RESCUE_MIN = 3.0, 15.0


def _unusual(minutes: float, speed_m_s: float) -> None:
    """Warn about a time model that works but hardly describes a rescue on foot."""
    if speed_m_s > RUNNING_M_S:
        warn("`speed_m_s` is {speed:g} m/s, that is {kmh:.0f} km/h: running, not walking "
             "(1.4 m/s is a walk, about 2.0 a hurried walk); did you give km/h?",
             speed=speed_m_s, kmh=speed_m_s * 3.6)
    if minutes > LONGEST_RESCUE_MIN:
        warn("`minutes` is {minutes:g}: a budget over {longest:g} minutes is no longer a "
             "rescue circle (survival falls 7-10% with each minute); it still runs, in "
             "bounded memory, but takes longer.", minutes=minutes, longest=LONGEST_RESCUE_MIN)


def one_of(value: Any, name: str, choices: Mapping[str, str | Phrase]) -> str:
    """``value`` when it is one of ``choices`` (each choice with what it means, for the
    message: English words, said in the error's language, or a :class:`Phrase`).

    >>> one_of("x", "side", {"left": "west", "right": "east"})
    Traceback (most recent call last):
    ...
    aedplan.errors.InputError: `side` must be 'left' (west) or 'right' (east), got 'x'.
    """
    if not isinstance(value, str) or value not in choices:
        told = [Phrase("'{choice}' ({meaning})", {
            "choice": k, "meaning": meaning if isinstance(meaning, Phrase) else Phrase(meaning)})
            for k, meaning in choices.items()]
        if len(told) > 1:
            raise InputError("`{name}` must be {options} or {last}, got {value!r}.", name=name,
                             options=Joined(told[:-1], sep=", "), last=told[-1], value=value)
        raise InputError("`{name}` must be {options}, got {value!r}.", name=name,
                         options=told[0], value=value)
    return value


def positive(value: Any, name: str, *, allow_zero: bool = False) -> float:
    """``value`` as a float when it is a positive (or non-negative) number."""
    v = number(value)
    if v is None or v < 0 or (v == 0 and not allow_zero):
        raise InputError("`{name}` must be a non-negative number, got {value!r}" if allow_zero
                         else "`{name}` must be a positive number, got {value!r}",
                         name=name, value=value)
    return v


def has_crs(gdf: Any, name: str, *, file: str | None = None) -> None:
    """Raise :class:`CRSError` when a GeoDataFrame carries no CRS: ``name`` a frame
    passed, or the frame read from the ``file`` (its name) given as ``name``."""
    if getattr(gdf, "crs", None) is not None:
        return
    if file is not None:
        raise CRSError(
            "`{name}`: {file} has no CRS, so its coordinates cannot be placed; set it in "
            "the file (e.g. `ogr2ogr -a_srs EPSG:4326 fixed.gpkg {file}` if they are "
            "lon/lat).", name=name, file=file)
    raise CRSError(
        "`{name}` has no CRS; set it with `{name}.set_crs('EPSG:4326')` if the "
        "coordinates are lon/lat.", name=name)


# --------------------------------------------------------------------------- arrays


def is_int(x: object) -> bool:
    """A Python or numpy integer, not a bool."""
    return isinstance(x, int | np.integer) and not isinstance(x, bool | np.bool_)


def is_real(x: object) -> bool:
    """A Python or numpy real number, not a bool."""
    return isinstance(x, int | float | np.integer | np.floating) and not isinstance(
        x, bool | np.bool_
    )


def coverage_matrix(A: Any, problems: Problems) -> Any:
    """``A`` as a boolean ``scipy.sparse.csr_array`` (sorted indices, no explicit zeros),
    or ``None`` after adding what is wrong with it."""
    import scipy.sparse as sp

    if sp.issparse(A):
        if A.ndim != 2:
            problems.add(Phrase("`A` must be a 2-D demand x site matrix, got {ndim} dimensions",
                                {"ndim": A.ndim}))
            return None
        if A.format == "csr" and A.dtype == bool and A.has_canonical_format and A.data.all():
            return sp.csr_array(A)  # already as the solvers read it: shared, not copied
        coo = sp.coo_array(A)
        data = coo.data
    else:
        try:
            arr = np.asarray(A)
        except Exception as exc:  # ragged lists and the like
            problems.add(Phrase(
                "`A` must be a 2-D demand x site matrix, could not read it ({detail})",
                {"detail": str(exc)}))
            return None
        if arr.ndim != 2 or arr.dtype == object:
            problems.add(Phrase(
                "`A` must be a 2-D demand x site matrix (scipy.sparse or numpy), got an "
                "object array") if arr.dtype == object else Phrase(
                "`A` must be a 2-D demand x site matrix (scipy.sparse or numpy), got "
                "{ndim} dimensions", {"ndim": arr.ndim}))
            return None
        coo = None
        data = arr.ravel()
    if not _zeros_and_ones(data, problems):
        return None
    if coo is not None:
        out = sp.csr_array((coo.data != 0, (coo.row, coo.col)), shape=coo.shape, dtype=bool)
    else:
        out = sp.csr_array(np.asarray(A) != 0)
    out.eliminate_zeros()
    out.sum_duplicates()
    out.sort_indices()
    return out


def _zeros_and_ones(data: np.ndarray, problems: Problems) -> bool:
    if data.dtype == bool:
        return True
    if not np.issubdtype(data.dtype, np.number):
        problems.add(Phrase("`A` must hold booleans (or 0/1), got dtype {dtype}",
                            {"dtype": data.dtype}))
        return False
    bad = ~((data == 0) | (data == 1))
    if bad.any():
        problems.add(Phrase(
            "`A` must be a boolean coverage matrix (True/1 where a site covers a demand "
            "point), but {n:,} entries are neither 0 nor 1 (e.g. {value!r}). If it is a cost "
            "matrix, threshold it first, e.g. `A = walk_s <= 240`",
            {"n": int(bad.sum()), "value": data[bad].astype(float)[0]}))
        return False
    return True


def per_demand(x: Any, name: str, n: int | None, problems: Problems, *, kind: str) -> Any:
    """A per-demand-point vector: ``kind`` ``"weight"`` (floats >= 0), ``"mask"``
    (booleans) or ``"count"`` (whole numbers >= 0); ``None`` after adding a problem."""
    try:
        arr = np.asarray(x)
    except Exception as exc:
        problems.add(Phrase("`{name}` could not be read as an array ({detail})",
                            {"name": name, "detail": str(exc)}))
        return None
    if arr.ndim != 1 or (n is not None and arr.shape[0] != n):
        problems.add(Phrase(
            "`{name}` must have one value per demand point ({n:,}, the rows of `A`), got "
            "shape {shape}", {"name": name, "n": n, "shape": arr.shape}) if n else Phrase(
            "`{name}` must have one value per demand point, got shape {shape}",
            {"name": name, "shape": arr.shape}))
        return None
    if arr.dtype == bool:
        return arr.astype({"weight": np.float64, "mask": bool, "count": np.int64}[kind])
    if not np.issubdtype(arr.dtype, np.number):
        problems.add(Phrase("`{name}` must be numeric, got dtype {dtype}",
                            {"name": name, "dtype": arr.dtype}))
        return None
    arr = arr.astype(np.float64)
    nonfinite = ~np.isfinite(arr)
    if nonfinite.any():
        i = int(np.flatnonzero(nonfinite)[0])
        problems.add(Phrase(
            "`{name}` must be finite, but {n:,} values are NaN or inf (first at index {i}: "
            "{value}); use 0 for demand that should not count",
            {"name": name, "n": int(nonfinite.sum()), "i": i, "value": arr[i]}))
        return None
    return _per_demand_kind(arr, name, problems, kind)


_KIND_RULES = {
    "weight": (lambda a: a < 0, "`{name}` must be >= 0, but {count:,} values are negative "
               "(first at index {i}: {value}); use 0 for demand that should not count"),
    "mask": (lambda a: ~((a == 0) | (a == 1)), "`{name}` must be booleans (True where demand "
             "is already covered), but index {i} holds {value}"),
    "count": (lambda a: (a < 0) | (a != np.round(a)), "`{name}` must be whole numbers >= 0 "
              "(existing AEDs in reach of each demand point), but index {i} holds {value}"),
}


def _per_demand_kind(arr: np.ndarray, name: str, problems: Problems, kind: str) -> Any:
    test, text = _KIND_RULES[kind]
    bad = test(arr)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        problems.add(Phrase(text, {"name": name, "count": int(bad.sum()), "i": i,
                                   "value": arr[i]}))  # `count`: said by the weights' rule
        return None
    if kind == "mask":
        return arr == 1
    return arr.astype(np.int64) if kind == "count" else arr


def site_indices(x: Any, name: str, m: int | None, problems: Problems) -> Any:
    """Distinct column indices of ``A`` (``0 .. m-1``), e.g. sites fixed in the solution."""
    try:
        arr = np.asarray(x).reshape(-1)
    except Exception as exc:
        problems.add(Phrase("`{name}` could not be read as an array of site indices ({detail})",
                            {"name": name, "detail": str(exc)}))
        return None
    if arr.size and not (np.issubdtype(arr.dtype, np.integer) and arr.dtype != bool):
        problems.add(Phrase("`{name}` must hold whole column indices of `A`, got dtype {dtype}",
                            {"name": name, "dtype": arr.dtype}))
        return None
    arr = arr.astype(np.int64)
    if m is not None and arr.size and (arr.min() < 0 or arr.max() >= m):
        problems.add(Phrase(
            "`{name}` must be column indices of `A` in 0..{last}, got values from {low} to "
            "{high}", {"name": name, "last": m - 1, "low": arr.min(), "high": arr.max()}))
        return None
    if np.unique(arr).size != arr.size:
        problems.add(Phrase("`{name}` lists a site more than once; give each fixed site once",
                            {"name": name}))
        return None
    return arr


def whole(value: Any, name: str, problems: Problems) -> None:
    """A whole number >= 0 (a count of sites)."""
    if not is_int(value) or value < 0:
        hint = (Phrase("; pass {whole}", {"whole": int(value)})  # 5.0: pass 5
                if is_real(value) and float(value).is_integer() and value >= 0 else "")
        problems.add(Phrase(
            "`{name}` must be a whole number of new sites >= 0, got {value!r} ({kind}){hint}",
            {"name": name, "value": value, "kind": type(value).__name__, "hint": hint}))


def share(value: Any, name: str, problems: Problems) -> None:
    """A share of the total demand weight in (0, 1]."""
    if not is_real(value) or not 0 < float(value) <= 1:
        hint: Phrase | str = ""
        if is_real(value) and 1 < float(value) <= 100:
            hint = Phrase("; for {value}% pass {share:g}",
                          {"value": value, "share": float(value) / 100})
        problems.add(Phrase(
            "`{name}` must be a share of the total demand weight in (0, 1], got {value!r}{hint}",
            {"name": name, "value": value, "hint": hint}))


#: The relative gap at which every solve stops by default (:func:`aedplan.solve_mclp` and
#: the other array solvers, :func:`aedplan.plan_sites`, :func:`aedplan.run`, ``--gap``):
#: 0.01%, the default of HiGHS, Gurobi and CPLEX.
DEFAULT_MIP_GAP = 1e-4

#: A relative gap is at least 0 (prove optimality) and below this (at 1 any plan would
#: be accepted): the one bound of ``mip_rel_gap``, of the scenario's ``solver.gap`` and of
#: ``--gap`` (both in percent, below 100).
MIP_GAP_BELOW = 1.0


def mip_gap(value: Any, name: str, problems: Problems) -> None:
    """A relative gap in ``[0, MIP_GAP_BELOW)``."""
    in_range(value, name, problems, low=0, high=MIP_GAP_BELOW, open_high=True,
             meaning=Phrase("a relative gap in [0, {below:g}) (0 = prove optimality)",
                            {"below": MIP_GAP_BELOW}))


def in_range(
    value: Any, name: str, problems: Problems, *, low: float, high: float, meaning: Phrase,
    open_low: bool = False, open_high: bool = False,
) -> None:
    """A real number between ``low`` and ``high`` (each end open or closed); ``meaning``
    says which, for the message."""
    ok = is_real(value)
    if ok:
        v = float(value)
        ok = (v > low if open_low else v >= low) and (v < high if open_high else v <= high)
    if not ok:
        problems.add(Phrase("`{name}` must be {meaning}, got {value!r}",
                            {"name": name, "meaning": meaning, "value": value}))
