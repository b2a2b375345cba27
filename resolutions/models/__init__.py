"""The tracker's concepts (DESIGN.md, "Core concepts"), one module per group."""

from .documents import Clause, Commitment, Committee, Resolution, Session, Theme, ordinal
from .nations import Delegation, Member, User

__all__ = [
    "Clause",
    "Commitment",
    "Committee",
    "Delegation",
    "Member",
    "Resolution",
    "Session",
    "Theme",
    "User",
    "ordinal",
]
