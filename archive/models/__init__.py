"""Tortoise models: the records the archive keeps. The database is the truth."""

from archive.models.audit import AuditEvent
from archive.models.innovations import Assignment, Innovation, InnovationStatus, Stage
from archive.models.periods import Period
from archive.models.units import Unit, UnitKind
from archive.models.users import PasswordReset, Role, User

__all__ = [
    "Assignment",
    "AuditEvent",
    "Innovation",
    "InnovationStatus",
    "PasswordReset",
    "Period",
    "Role",
    "Stage",
    "Unit",
    "UnitKind",
    "User",
]
