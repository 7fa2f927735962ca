"""Every list screen costs a few SQL statements however long the customer's history is: two customers, one with
a handful of services, entries, tickets and notifications and one with hundreds, open the same screens and each
press is counted (what `bench/screens.py` measures on a large database)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from bench.seed import History, seed_customers
from sandbox import FloodLimits, Sandbox
from tests.e2e.conftest import make_settings

SMALL = History(services=3, entries=5, tickets=2, messages=2, notifications=2)
LARGE = History(services=120, entries=900, tickets=60, messages=8, notifications=150)
LIST_LIMIT = 3  # statements a list screen may cost (the target)


@pytest.fixture
async def sandbox():
    async with Sandbox(host="127.0.0.1", port=0, bot_username="client_area_bot", bot_first_name="Client Area",
                       flood_limits=FloodLimits.off()) as sb:
        yield sb


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path):
    return make_settings(sandbox, db_url, redis_url, tmp_path, scheduler_enabled=False)


class Statements:
    def __init__(self, engine) -> None:
        self.seen: list[str] = []
        event.listen(engine.sync_engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, *args) -> None:
        self.seen.append(statement)

    def reset(self) -> None:
        self.seen.clear()


async def walk(customer, statements: Statements) -> dict[str, list[str]]:
    """Open each screen; the statements each press cost."""
    cost: dict[str, list[str]] = {}

    async def step(name: str, action) -> None:
        statements.reset()
        await action()
        cost[name] = list(statements.seen)

    await customer.send("/menu")
    await step("licences list", lambda: customer.press("🔑 Licences"))
    first = next(b for b in customer.screen.button_texts if b.startswith("#"))
    await step("licence card", lambda: customer.press(first))
    await customer.send("/menu")
    await customer.press("💰 Billing")
    await step("payments", lambda: customer.press("Payments"))
    await customer.press("« Back")
    await step("expenses", lambda: customer.press("Expenses"))
    await customer.send("/support")
    await step("tickets list", lambda: customer.press(next(b for b in customer.screen.button_texts
                                                          if b.startswith("🎫 Tickets"))))
    ticket = next(b for b in customer.screen.button_texts if b.startswith("#"))
    await step("a ticket", lambda: customer.press(ticket))
    await customer.send("/support")
    await step("inbox", lambda: customer.press(next(b for b in customer.screen.button_texts
                                                   if b.startswith("🔔"))))
    return cost


async def test_list_screens_cost_the_same_few_statements_for_any_history(sandbox, running) -> None:
    await seed_customers(running.sessions, 3001, 1, SMALL)
    await seed_customers(running.sessions, 3002, 1, LARGE, seed=2)
    small = await sandbox.user(id=3001, first_name="Small", language_code="en")
    large = await sandbox.user(id=3002, first_name="Large", language_code="en")
    statements = Statements(running.app.engine)
    few, many = await walk(small, statements), await walk(large, statements)
    report = {name: (len(few[name]), len(many[name])) for name in few}
    print("statements per screen (small, large history):", report)
    for name, (a, b) in report.items():
        assert a == b, f"{name}: {a} statements for a short history, {b} for a long one"
    for name in ("licences list", "payments", "expenses", "tickets list", "inbox"):
        assert report[name][1] <= LIST_LIMIT, (name, many[name])
