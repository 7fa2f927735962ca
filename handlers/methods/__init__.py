"""Client -> Payment methods. Automatic payments offer `ADD_CARD` and name a method with `label`; a screen that
lists the saved methods elsewhere uses `show_payment_methods`."""

from handlers.common.format import method_label as label
from handlers.methods.keyboards import ADD_CARD, METHODS, MethodAction, PmCb
from handlers.methods.router import router, show_payment_methods

__all__ = ["ADD_CARD", "METHODS", "MethodAction", "PmCb", "label", "router", "show_payment_methods"]
