"""The order wizard: dialog states and their typed data."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from handlers.common.dialogs import DialogData


class OrderWizard(StatesGroup):
    product = State()
    tariff = State()
    period = State()
    name = State()
    ip = State()
    domain = State()
    licence = State()
    summary = State()


class OrderData(DialogData):
    """What the customer chose so far. Going back keeps it; choosing another product starts anew."""

    product: str | None = None
    tariff: int | None = None
    months: int | None = None
    name: str | None = None
    ip: str | None = None
    domain: str | None = None
    licence_id: int | None = None

    def params(self) -> dict[str, str | int]:
        """The service's parameters as the cart keeps them: only those given."""
        given = {"name": self.name, "ip": self.ip, "domain": self.domain, "licence_id": self.licence_id}
        return {key: value for key, value in given.items() if value}
