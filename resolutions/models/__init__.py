"""The tracker's concepts (DESIGN.md, "Core concepts"), one module per group."""

from .digests import DigestLog, DigestPreference
from .documents import (
    Clause,
    Commitment,
    Committee,
    ReportingRound,
    Resolution,
    Session,
    Theme,
    ordinal,
)
from .exports import ExportJob
from .followup import ActionRevision, Evidence, ImplementationStatus, NationalAction
from .nations import Delegation, Member, User
from .security import SecurityEvent
from .tokens import ApiToken

__all__ = [
    "ActionRevision",
    "ApiToken",
    "Clause",
    "Commitment",
    "Committee",
    "Delegation",
    "DigestLog",
    "DigestPreference",
    "Evidence",
    "ExportJob",
    "ImplementationStatus",
    "Member",
    "NationalAction",
    "ReportingRound",
    "Resolution",
    "SecurityEvent",
    "Session",
    "Theme",
    "User",
    "ordinal",
]
