"""Client -> Payers. Checkout and top-ups ask which payer pays with `pick_payer`; invoices name a payer's fields
with `field_key`; Add a payer is `PAYERS`."""

from handlers.payers.keyboards import PAYERS
from handlers.payers.router import pick_payer, router
from handlers.payers.views import field_key

__all__ = ["PAYERS", "field_key", "pick_payer", "router"]
