"""Buttons already sent keep working: the callback data of the order, cart, billing, invoice, automatic-payment
and renewal buttons, packed as the bot sends them (or sent before fields were added at the end), decodes to the same
fields."""

from __future__ import annotations

import pytest

from handlers.autopay import ApCb, AutopayAction
from handlers.billing import BillAction, BillCb, InvoiceAction, InvoiceCb
from handlers.cart import CartAction, CartCb
from handlers.common.ui import Callback, TopupCb
from handlers.licences.keyboards import ServiceAction, SvcCb
from handlers.order.keyboards import OrderAction, OrderCb, OrderStep
from handlers.renewals import RenewAction, RenewCb

SENT: list[tuple[type[Callback], str, dict[str, object]]] = [
    (CartCb, "c:pay:0:0:1a2b3c4d5e6f:0", {"action": CartAction.PAY, "rev": "1a2b3c4d5e6f", "payer": 0}),
    (CartCb, "c:setper:12:24::0", {"action": CartAction.PERIOD, "item": 12, "months": 24}),
    (CartCb, "c:clear-yes:0:0::0", {"action": CartAction.CLEAR_CONFIRM}),
    (TopupCb, "t:0:1:7:1a2b3c4d5e6f", {"amount": 0, "then": True, "payer": 7, "rev": "1a2b3c4d5e6f"}),
    (TopupCb, "t:2500:0:0:", {"amount": 2500, "then": False, "payer": 0, "rev": ""}),
    (TopupCb, "t:1500:0:0::tariff.12.3", {"amount": 1500, "resume": "tariff.12.3"}),
    (SvcCb, "sv:tx:12:3:14252", {"action": ServiceAction.TARIFF_CONFIRM, "id": 12, "v": 3, "x": 14252, "f": 0}),
    (SvcCb, "sv:tx:12:3:14252:2", {"action": ServiceAction.TARIFF_CONFIRM, "v": 3, "x": 14252, "f": 2}),
    (InvoiceCb, "iv:cart:0:0:0:1a2b3c4d5e6f", {"action": InvoiceAction.CART, "rev": "1a2b3c4d5e6f"}),
    (BillCb, "b:payments:2:", {"action": BillAction.PAYMENTS, "page": 2}),
    (BillCb, "b:csv:0:2026-11", {"action": BillAction.CSV, "month": "2026-11"}),
    (InvoiceCb, "iv:cancel-yes:42:0:0", {"action": InvoiceAction.CANCEL_CONFIRM, "id": 42}),
    (InvoiceCb, "iv:topup:0:3:0", {"action": InvoiceAction.TOPUP, "payer": 3}),
    (ApCb, "ap:card:5", {"action": AutopayAction.CARD, "id": 5}),
    (ApCb, "ap:show:0", {"action": AutopayAction.SHOW, "id": 0}),
    (RenewCb, "rn:r:12:20261126", {"action": RenewAction.RENEW, "id": 12, "p": "20261126"}),
    (RenewCb, "rn:t:12:", {"action": RenewAction.TOPUP, "id": 12, "p": ""}),
    (OrderCb, "o:tariff:3", {"action": OrderAction.TARIFF, "value": "3"}),
    (OrderCb, "o:back:periods", {"action": OrderAction.BACK, "value": OrderStep.PERIODS}),
]


@pytest.mark.parametrize(("factory", "packed", "fields"), SENT, ids=[packed for _, packed, _ in SENT])
def test_a_button_sent_before_decodes_to_the_same_fields(factory: type[Callback], packed: str,
                                                         fields: dict[str, object]) -> None:
    data = factory.unpack(packed)
    assert {name: getattr(data, name) for name in fields} == fields
    # Packed again it is the same button, with any field added since at its default on the end.
    assert data.pack().startswith(packed) and factory.unpack(data.pack()) == data


@pytest.mark.parametrize("packed", ["c:buy:0:0::0", "b:refund:0:", "iv:paid:1:0:0", "ap:on!:0", "rn:x:1:",
                                    "o:jump:3", "t:0:2:0:"])
def test_an_unknown_action_is_not_a_button(packed: str) -> None:
    factory = {"c": CartCb, "b": BillCb, "iv": InvoiceCb, "ap": ApCb, "rn": RenewCb, "o": OrderCb,
               "t": TopupCb}[packed.split(":", 1)[0]]
    with pytest.raises(ValueError):
        factory.unpack(packed)


def test_a_factory_that_gained_a_field_still_decodes_buttons_sent_before() -> None:
    """RenewCb gained `c` (where Back leads): a button packed before it decodes with `c` at its default, and a
    button with a part too many is still not a button."""
    assert RenewCb.unpack("rn:r:12:20261126") == RenewCb(action=RenewAction.RENEW, id=12, p="20261126", c=0)
    assert RenewCb.unpack("rn:r:12:20261126:1").c == 1
    with pytest.raises(TypeError):
        RenewCb.unpack("rn:r:12:20261126:1:9")
