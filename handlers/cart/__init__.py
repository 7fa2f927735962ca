"""The cart: its lines, their periods, clear, and Pay; what a paid cart and a short balance look like."""

from handlers.cart.keyboards import CartAction, CartCb, paid_markup, shortfall_markup
from handlers.cart.router import router
from handlers.cart.views import paid_text

__all__ = ["CartAction", "CartCb", "paid_markup", "paid_text", "router", "shortfall_markup"]
