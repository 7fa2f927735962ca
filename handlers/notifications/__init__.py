"""Support -> Notifications: the inbox and its preferences, and how a notification is rendered for the inbox
and for a push (`render_push`, used by bot/delivery.py). A section lets its notifications carry buttons of its
own with `register_action(name, make_callback)`; the settings screen links `PREFERENCES`."""

from handlers.notifications.keyboards import PREFERENCES, register_action
from handlers.notifications.router import router
from handlers.notifications.views import render_push

__all__ = ["PREFERENCES", "register_action", "render_push", "router"]
