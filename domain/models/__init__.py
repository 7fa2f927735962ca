"""All ORM models; importing this module registers every table on `Base.metadata`."""

from domain.models.base import Base, UTCDateTime
from domain.models.fsm import DialogState
from domain.models.user import User

__all__ = ["Base", "DialogState", "UTCDateTime", "User"]
