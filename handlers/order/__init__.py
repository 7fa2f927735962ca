"""Ordering: the wizard from a product to a configured line in the cart."""

from handlers.order.router import router

__all__ = ["router"]
