"""Tortoise models: the records the archive keeps. The database is the truth."""

from archive.models.audit import AuditEvent
from archive.models.checklists import ChecklistResult
from archive.models.competitions import (
    Competition,
    CompetitionStage,
    Entry,
    EntryStatus,
    JudgeAssignment,
    Score,
    StageJudge,
    StageKind,
    StageState,
)
from archive.models.evidence import Blob, Evidence, ExtractionStatus, IndicatorClaim
from archive.models.innovations import Assignment, Innovation, InnovationStatus, Stage
from archive.models.jobs import Job, JobKind, JobState
from archive.models.periods import Period, YearFigure
from archive.models.proposals import Proposal, ProposalFile, ProposalStatus, ProposerKind
from archive.models.units import Unit, UnitKind
from archive.models.users import PasswordReset, Role, User
from archive.models.workflow import (
    Comment,
    Decision,
    Notification,
    RegionalIndicator,
    Review,
    ReviewState,
    Verdict,
)

__all__ = [
    "Assignment",
    "AuditEvent",
    "Blob",
    "ChecklistResult",
    "Comment",
    "Competition",
    "CompetitionStage",
    "Decision",
    "Entry",
    "EntryStatus",
    "Evidence",
    "ExtractionStatus",
    "IndicatorClaim",
    "Innovation",
    "InnovationStatus",
    "Job",
    "JobKind",
    "JobState",
    "JudgeAssignment",
    "Notification",
    "PasswordReset",
    "Period",
    "Proposal",
    "ProposalFile",
    "ProposalStatus",
    "ProposerKind",
    "RegionalIndicator",
    "Review",
    "ReviewState",
    "Role",
    "Score",
    "Stage",
    "StageJudge",
    "StageKind",
    "StageState",
    "Unit",
    "UnitKind",
    "User",
    "Verdict",
    "YearFigure",
]
