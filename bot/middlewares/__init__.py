from bot.middlewares.database import UnitOfWorkMiddleware
from bot.middlewares.errors import ErrorBoundary
from bot.middlewares.guard import GuardMiddleware
from bot.middlewares.inflight import InFlightMiddleware
from bot.middlewares.throttling import ThrottlingMiddleware
from bot.middlewares.users import UserMiddleware

__all__ = ["ErrorBoundary", "GuardMiddleware", "InFlightMiddleware", "ThrottlingMiddleware", "UnitOfWorkMiddleware",
           "UserMiddleware"]
