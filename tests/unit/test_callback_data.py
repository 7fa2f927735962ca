"""Buttons already sent keep working: callback data packed as the bot sends it today decodes to the same fields,
and what the factories pack now is what they packed then."""

from __future__ import annotations

from typing import get_args

import pytest
from aiogram.filters.callback_data import CallbackData

from domain.notifications import CATEGORIES
from domain.payers import KINDS
from handlers.common.ui import MenuCb
from handlers.discounts.keyboards import DiscountAction, DiscountCb
from handlers.methods import MethodAction, PmCb
from handlers.notifications.keyboards import Category, InboxAction, InboxCb
from handlers.payers.keyboards import PayerAction, PayerCb
from handlers.settings import SettingsAction, SettingsCb
from handlers.staff.keyboards import NewsAction, NewsCb
from handlers.tickets import TicketAction, TkCb

SENT = [
    ("tk:c!:12:0:0", TkCb(action=TicketAction.CLOSE_CONFIRM, id=12)),
    ("tk:o:12:0:1", TkCb(action=TicketAction.OPEN, id=12, p=1)),
    ("tk:rt:12:4:0", TkCb(action=TicketAction.RATE, id=12, v=4)),
    ("tk:nd:0:2:0", TkCb(action=TicketAction.DEPARTMENT, v=2)),
    ("tnw:s:555", NewsCb(action=NewsAction.SEND, id=555)),
    ("tnw:x:555", NewsCb(action=NewsAction.DROP, id=555)),
    ("nt:o:0::1", InboxCb(action=InboxAction.OPEN, id=1)),
    ("nt:l:2:finance:0", InboxCb(action=InboxAction.LIST, p=2, c="finance")),
    ("nt:x:0:news:0", InboxCb(action=InboxAction.MUTE, c="news")),
    ("py:del-yes:7::", PayerCb(action=PayerAction.DELETE_CONFIRM, id=7)),
    ("py:new:0:legal:", PayerCb(action=PayerAction.NEW, kind="legal")),
    ("py:edit:7::tax_number", PayerCb(action=PayerAction.EDIT, id=7, field="tax_number")),
    ("pm:rm!:4", PmCb(action=MethodAction.REMOVE_CONFIRM, id=4)),
    ("pm:tg:0", PmCb(action=MethodAction.TELEGRAM)),
    ("dsc:redeem:SPRING-26", DiscountCb(action=DiscountAction.REDEEM, code="SPRING-26")),
    ("dsc:code:", DiscountCb(action=DiscountAction.CODE)),
    ("st:2fa_off_yes::0", SettingsCb(action=SettingsAction.TWO_FACTOR_OFF_CONFIRM)),
    ("st:tzr:europe:1", SettingsCb(action=SettingsAction.REGION, value="europe", page=1)),
    ("st:tzs:Europe/Riga:0", SettingsCb(action=SettingsAction.ZONE, value="Europe/Riga")),
    ("m:support", MenuCb(section="support")),
]


@pytest.mark.parametrize(("packed", "expected"), SENT, ids=[packed for packed, _ in SENT])
def test_a_button_sent_before_decodes_to_the_same_fields(packed: str, expected: CallbackData) -> None:
    decoded = type(expected).unpack(packed)
    assert decoded == expected
    assert decoded.pack() == packed


def test_every_action_keeps_its_code_and_fits_telegrams_limit() -> None:
    codes = {
        TicketAction: "l la o n nd ns nx r c c! ro rt",
        NewsAction: "s x",
        InboxAction: "l o f r m x",
        PayerAction: "list add new skip back save view fields edit clear default off on del del-yes",
        MethodAction: "list add card tg bank show ren def rm rm!",
        DiscountAction: "code redeem",
        SettingsAction: "home phone phone_rm email email_rm avatar avatar_rm lang lang_set tz tzr tzs tzloc 2fa 2fa_on "
                        "2fa_off 2fa_off_yes 2fa_codes",
    }
    for action, values in codes.items():
        assert sorted(member.value for member in action) == sorted(values.split()), action
    widest = [TkCb(action=TicketAction.CLOSE_CONFIRM, id=2**31 - 1, v=2**31 - 1, p=2**31 - 1),
              PayerCb(action=PayerAction.DELETE_CONFIRM, id=2**31 - 1, kind="individual", field="tax_number"),
              SettingsCb(action=SettingsAction.ZONE, value="America/Argentina/ComodRivadavia", page=2**31 - 1),
              DiscountCb(action=DiscountAction.REDEEM, code="X" * 32)]
    assert all(len(callback.pack().encode()) <= 64 for callback in widest)


def test_fixed_fields_take_only_what_the_domain_has() -> None:
    def values(annotation) -> set:  # an Enum | Literal[""] annotation, flattened to the values it admits
        enum, empty = get_args(annotation)
        return {*enum, *get_args(empty)}

    assert values(Category) == {"", *CATEGORIES}
    assert values(PayerCb.model_fields["kind"].annotation) == {"", *KINDS}
    with pytest.raises(ValueError):
        InboxCb.unpack("nt:l:0:bogus:0")
    with pytest.raises(ValueError):
        TkCb.unpack("tk:zz:1:0:0")
