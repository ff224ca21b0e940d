"""Errors and warnings raised by aedplan.

Every error a user can cause derives from :class:`AedplanError`; subclasses also
inherit the builtin they refine, so ``except ValueError`` keeps working.
The command line turns any ``AedplanError`` into one line and exit code 2.
"""


class AedplanError(Exception):
    """Root of every error aedplan raises on purpose."""


class InputError(AedplanError, ValueError):
    """An argument or input file is not what aedplan expects."""


class CRSError(AedplanError, ValueError):
    """Coordinates are in an unexpected or mismatched coordinate reference system."""


class DataError(AedplanError, ValueError):
    """Input data is readable but unusable (empty network, no walkable ways, ...)."""


class InfeasibleError(AedplanError, RuntimeError):
    """An optimisation problem cannot be solved as posed (e.g. target coverage unreachable)."""


class SolverError(AedplanError, RuntimeError):
    """The MILP solver failed in a way that is not the user's input."""


class WriteError(AedplanError, OSError):
    """Results could not be written (a full disk, a name too long, a folder no longer
    writable); nothing was half-written."""


class ResourceError(AedplanError, MemoryError):
    """The problem as posed needs more memory than this machine can spare; the message
    says how to make it smaller."""


class AedplanWarning(UserWarning):
    """Warnings aedplan emits about the data or the results (never only a log line)."""
