from bot.middlewares.answers import AnswerPresses
from bot.middlewares.commands import CommandsLeaveDialogs
from bot.middlewares.database import UnitOfWorkMiddleware
from bot.middlewares.errors import ErrorBoundary
from bot.middlewares.guard import GuardMiddleware
from bot.middlewares.inflight import InFlightMiddleware
from bot.middlewares.normalise import NormaliseInput
from bot.middlewares.throttling import ThrottlingMiddleware
from bot.middlewares.users import UserMiddleware

__all__ = ["AnswerPresses", "CommandsLeaveDialogs", "ErrorBoundary", "GuardMiddleware", "InFlightMiddleware",
           "NormaliseInput", "ThrottlingMiddleware", "UnitOfWorkMiddleware", "UserMiddleware"]
