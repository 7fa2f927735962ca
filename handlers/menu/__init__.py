"""Main menu, help, deep links and /cancel: the frame every client-area section plugs into. A section opens
from a t.me/<bot>?start=<payload> link by registering `@deep_link(prefix)`; `send_menu` puts the menu (with
a line above it) under whatever a section said last."""

from handlers.menu.router import deep_link, router, send_menu

__all__ = ["deep_link", "router", "send_menu"]
