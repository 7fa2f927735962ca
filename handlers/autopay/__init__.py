"""Automatic payments: a saved card pays what the balance lacks for a renewal or the cart, within a monthly
limit."""

from handlers.autopay.keyboards import AUTOPAY, ApCb, AutopayAction
from handlers.autopay.router import router

__all__ = ["AUTOPAY", "ApCb", "AutopayAction", "router"]
