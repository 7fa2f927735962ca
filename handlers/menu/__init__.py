"""Main menu, help, deep links and /cancel: the frame every client-area section plugs into. A section opens
from a t.me/<bot>?start=<payload> link by registering `@deep_link(prefix)`; `send_menu` puts the menu (with
a line above it) under whatever a section said last; `@on_cancel(StatesGroup)` says where Cancel leads from a
step of a section's dialog."""

from handlers.menu.router import deep_link, on_cancel, router, send_menu

__all__ = ["deep_link", "on_cancel", "router", "send_menu"]
