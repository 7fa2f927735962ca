"""Support: the section's entry screen. Its entries (tickets, notifications, ...) register themselves with
`register_entry(SupportEntry(key, order, button))`, so a new one plugs in without editing the screen."""

from handlers.support.router import SUPPORT, SupportEntry, register_entry, router

__all__ = ["SUPPORT", "SupportEntry", "register_entry", "router"]
