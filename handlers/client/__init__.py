"""Client: the section for who the customer is to the vendor (payers, payment methods, discounts), as in the web
client area. Its entries register themselves with `register_entry(ClientEntry(key, order, button))`, as on the
Support screen."""

from handlers.client.router import CLIENT, ClientEntry, register_entry, router

__all__ = ["CLIENT", "ClientEntry", "register_entry", "router"]
