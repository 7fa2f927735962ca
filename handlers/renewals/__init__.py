"""Renewals: "Renew now" and "Top up" from a service's expiry and renewal notifications."""

from handlers.renewals.keyboards import RenewAction, RenewCb
from handlers.renewals.router import router

__all__ = ["RenewAction", "RenewCb", "router"]
