"""Renewals: "Renew now" and "Top up" from a service's expiry and renewal notifications."""

from handlers.renewals.keyboards import RenewAction, RenewCb, register_card, renew_button
from handlers.renewals.router import router
from handlers.renewals.views import card_renew_button

__all__ = ["RenewAction", "RenewCb", "card_renew_button", "register_card", "renew_button", "router"]
