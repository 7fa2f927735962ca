from bot.middlewares.database import UnitOfWorkMiddleware
from bot.middlewares.errors import ErrorBoundary
from bot.middlewares.inflight import InFlightMiddleware
from bot.middlewares.throttling import ThrottlingMiddleware
from bot.middlewares.users import UserMiddleware

__all__ = ["ErrorBoundary", "InFlightMiddleware", "ThrottlingMiddleware", "UnitOfWorkMiddleware", "UserMiddleware"]
