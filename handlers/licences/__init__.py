"""Licences and modules: the list, a service's card and what can be done with it."""

from handlers.licences.router import router

__all__ = ["router"]
