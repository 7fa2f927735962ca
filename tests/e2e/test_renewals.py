"""Service expiry as the customer lives it: reminders before expiry (each once), renewal from the balance (by
hand or automatically, once per period), a one-tap top-up of the shortfall, suspension and deletion; muted
categories; and delivery of the alerts under flood control, faults, restarts and two scheduler instances."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import update

from domain.models import Balance, LedgerEntry, Notification, OutboxMessage, Service, ServiceEvent
from tests.conftest import on_postgres
from tests.e2e.conftest import RunningBot, make_settings
from tests.e2e.flows import PRO_MONTH, buy, current, deliver, jobs, one, pushes, rows, worker


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path):
    # No scheduler: the tests run the sweeps and the delivery worker themselves.
    return make_settings(sandbox, db_url, redis_url, tmp_path, scheduler_enabled=False, delivery_backoff=1,
                         delivery_max_attempts=3)


async def keys(running: RunningBot, user_id: int) -> list[str]:
    """The customer's notices about expiry and renewal (not the activation key that came with the purchase)."""
    return [n.dedupe_key for n in await expiry_notices(running, user_id)]


async def expiry_notices(running: RunningBot, user_id: int) -> list[Notification]:
    return [n for n in await rows(running, Notification, Notification.user_id == user_id)
            if n.key != "licence-notification-key"]


async def expiry_outbox(running: RunningBot) -> list[OutboxMessage]:
    keyed = {n.id for n in await rows(running, Notification, Notification.key == "licence-notification-key")}
    return [o for o in await rows(running, OutboxMessage) if o.notification_id not in keyed]


async def test_each_reminder_fires_once_and_says_what_to_do(ann, running, clock) -> None:
    await ann.send("/start")
    # The balance is empty afterwards: every reminder asks for a top-up.
    sid = await buy(running, 1001, months=1, name="web-1")
    expires = (await one(running, Service, Service.id == sid)).expires_at
    assert expires == clock.now().replace(month=12)
    sent_days = []
    while clock.now() < expires + timedelta(days=1):
        for _ in range(2):  # a second sweep the same hour finds nothing new
            await jobs(running).expiry()
        clock.move(hours=12)
    notices = await expiry_notices(running, 1001)
    for notice in notices:
        sent_days.append(notice.args["days"])
    assert sent_days == [14, 7, 3, 1, 0]
    assert [n.dedupe_key for n in notices] == [f"expiry:{sid}:20261226:{d}" for d in (14, 7, 3, 1, 0)]
    assert {n.key for n in notices} == {"notification-expiry-reminder-short"}
    await deliver(running, clock)
    texts = [m.text for m in pushes(ann, "web-1 expires")]
    assert [t.splitlines()[0] for t in texts] == [
        "⏳ web-1 expires in 14 days", "⏳ web-1 expires in 7 days", "⏳ web-1 expires in 3 days",
        "⏳ web-1 expires tomorrow", "⏳ web-1 expires today"]
    assert "ispmanager licence, until 26 Dec 2026, 09:00." in texts[0]
    assert "Renewal: €12.90, your balance: €0.00. Top up €12.90 to renew." in texts[0]
    assert pushes(ann, "web-1 expires")[0].button_texts == ["💳 Top up €12.90", "🔄 Renew now"]


async def test_top_up_then_renew_now_charges_once_and_stops_the_reminders(ann, running, clock, sandbox) -> None:
    await ann.send("/start")
    sid = await buy(running, 1001, months=1, name="web-1")
    clock.move(days=16)  # 14 days left
    await jobs(running).expiry()
    await deliver(running, clock)
    reminder = pushes(ann, "expires in 14 days")[-1]
    # The top-up button sends an invoice for exactly the shortfall.
    await ann.press("💳 Top up €12.90", message=reminder)
    assert ann.screen.invoice["total_amount"] == 645  # €12.90 at 50 stars per euro
    assert (await ann.pay()).status == "paid"
    # Paid: the customer lands on the renewal's confirmation, below the receipt, now that the balance covers it.
    landed = ann.screen
    assert "Now until 26 Dec 2026; after renewal until 26 Jan 2027." in landed.text
    assert landed.button_texts[0] == "✅ Renew for €12.90"
    assert any((m.text or "").startswith("✅ Payment received") for m in ann.bot_messages[-3:])
    await ann.press("🔄 Renew now", message=reminder)
    confirm = ann.screen  # a reminder is not the current screen: the answer comes as a new one
    assert confirm.message_id != reminder.message_id
    assert "Now until 26 Dec 2026; after renewal until 26 Jan 2027." in confirm.text
    assert "Your balance: €12.90." in confirm.text
    renew_data = confirm.buttons[0][0].callback_data
    await ann.press("✅ Renew for €12.90", message=confirm)
    receipt = ann.screen  # a receipt: its own message, below the spent confirmation
    done = receipt.text
    assert receipt.message_id != confirm.message_id and not current(ann, confirm).buttons
    assert done.startswith("✅ web-1 renewed until 26 Jan 2027.")
    assert "charged €12.90. Balance: €0.00." in done
    # A second tap of the old confirmation, or the old reminder, renews nothing more.
    await ann.press(callback_data=renew_data, message=confirm)
    assert "already been renewed" in ann.last_callback_answer.text
    charges = await rows(running, LedgerEntry, LedgerEntry.kind == "charge", LedgerEntry.service_id == sid)
    assert [(c.amount, c.reference) for c in charges] == [
        (-PRO_MONTH, "order:1:1"), (-PRO_MONTH, f"renewal:{sid}:20261226")]
    renewed = await one(running, Service, Service.id == sid)
    assert renewed.expires_at == clock.now().replace(year=2027, month=1, day=26, hour=9)
    [event] = await rows(running, ServiceEvent, ServiceEvent.service_id == sid, ServiceEvent.action == "renewal")
    assert event.actor == "customer" and event.before["expires_at"].startswith("2026-12-26")
    assert event.after["expires_at"].startswith("2027-01-26")
    assert f"renewal:{sid}:20261226" in await keys(running, 1001)  # "renewal done" in the inbox
    # The old period's thresholds no longer match: no reminder until 14 days before the new expiry.
    before = len(await keys(running, 1001))
    for _ in range(25):
        clock.move(days=1)
        await jobs(running).expiry()
    assert len(await keys(running, 1001)) == before
    clock.move(days=6)  # 2027-01-12: 14 days before the new expiry
    await jobs(running).expiry()
    assert (await keys(running, 1001))[-1] == f"expiry:{sid}:20270126:14"


async def test_auto_renewal_charges_once_per_period_and_needs_no_reminder(ann, running, clock) -> None:
    await ann.send("/start")
    sid = await buy(running, 1001, months=1, name="web-1", extra=5 * PRO_MONTH, auto_renew=True)
    clock.move(days=16)
    await jobs(running).run_all()
    assert await keys(running, 1001) == []  # auto-renewal will cover it: no reminder
    clock.move(days=11, minutes=1)  # 3 days before expiry
    first = await jobs(running).auto_renewal()
    again = await jobs(running).auto_renewal()
    assert (first.renewed, again.renewed) == (1, 0)
    renewed = await one(running, Service, Service.id == sid)
    assert f"{renewed.expires_at:%Y-%m-%d}" == "2027-01-26"
    charges = await rows(running, LedgerEntry, LedgerEntry.reference.like("renewal:%"))
    assert [(c.amount, c.reference) for c in charges] == [(-PRO_MONTH, f"renewal:{sid}:20261226")]
    [event] = await rows(running, ServiceEvent, ServiceEvent.action == "renewal")
    assert (event.actor, event.actor_id) == ("system", None)
    await deliver(running, clock)
    [done] = pushes(ann, "renewed")
    assert done.text.splitlines()[0] == "✅ web-1 renewed"
    assert "ispmanager licence: 1 month for €12.90, now until 26 Jan 2027, 09:00." in done.text
    assert "Balance: €51.60." in done.text
    # The next period renews again, once.
    clock.move(days=31)
    assert (await jobs(running).auto_renewal()).renewed == 1
    assert (await jobs(running).auto_renewal()).renewed == 0
    assert len(await rows(running, LedgerEntry, LedgerEntry.reference.like("renewal:%"))) == 2


async def test_a_renewal_failing_half_way_rolls_back_alone(ann, running, clock, monkeypatch) -> None:
    """Renewals are written a few hundred at a time; a batch refused after it wrote (something moved meanwhile)
    takes all its writes back and renews one by one, where one that fails after its charge was written takes
    only its own writes back. The next sweep renews it."""
    from domain.errors import DomainError
    from domain.renewals import BatchRefused, Renewals

    await ann.send("/start")
    first = await buy(running, 1001, months=1, name="web-1", extra=5 * PRO_MONTH, auto_renew=True)
    second = await buy(running, 1001, months=1, name="web-2", auto_renew=True)
    batch, one_by_one = Renewals.renew_due, Renewals.renew

    async def batch_then_refuse(self, due, **kwargs):
        renewed, _ = await batch(self, due, **kwargs)
        assert len(renewed) == 2  # both written, then taken back
        raise BatchRefused("a test moved something")

    async def renew_then_fail(self, user_id, service_id, *args, **kwargs):
        result = await one_by_one(self, user_id, service_id, *args, **kwargs)
        if service_id == first:
            raise DomainError("renew-already")
        return result

    monkeypatch.setattr(Renewals, "renew_due", batch_then_refuse)
    monkeypatch.setattr(Renewals, "renew", renew_then_fail)
    clock.move(days=27, minutes=1)  # 3 days before expiry
    balance_before = (await one(running, Balance, Balance.user_id == 1001)).amount
    run = await jobs(running).auto_renewal()
    assert (run.renewed, run.failed) == (1, 1)
    charges = await rows(running, LedgerEntry, LedgerEntry.reference.like("renewal:%"))
    assert [c.service_id for c in charges] == [second]  # the failed one's charge went back, the other stayed
    assert (await one(running, Balance, Balance.user_id == 1001)).amount == balance_before - PRO_MONTH
    assert f"{(await one(running, Service, Service.id == first)).expires_at:%Y-%m-%d}" == "2026-12-26"
    assert len(await rows(running, ServiceEvent, ServiceEvent.action == "renewal")) == 1
    assert [k for k in await keys(running, 1001) if k.startswith("renewal:")] == [f"renewal:{second}:20261226"]
    monkeypatch.setattr(Renewals, "renew_due", batch)
    monkeypatch.setattr(Renewals, "renew", one_by_one)
    assert (await jobs(running).auto_renewal()).renewed == 1
    assert {c.service_id for c in await rows(running, LedgerEntry, LedgerEntry.reference.like("renewal:%"))} == {
        first, second}


async def test_the_batch_leaves_a_balance_that_moved_to_the_one_by_one_verdict(ann, ivan, running, clock) -> None:
    """Planned with enough money, but the balance went down before the writing: the batch leaves that customer
    alone and the one-by-one renewal says why; another customer in the same batch renews."""
    from domain.renewals import DueRenewal

    await ann.send("/start")
    await ivan.send("/start")
    short = await buy(running, 1001, months=1, name="web-1", auto_renew=True)
    fine = await buy(running, 1002, months=1, name="web-2", extra=PRO_MONTH, auto_renew=True)
    clock.move(days=27, minutes=1)
    async with running.app.domain() as domain:
        due, _ = await domain.renewals.plan_auto_renewals()
    assert {item.service_id for item in due} == {fine}  # 1001 has nothing left: not planned
    async with running.app.domain() as domain:
        service = await domain.session.get(Service, short)
        due.append(DueRenewal(1001, short, service.expires_at))  # as if planned before the balance moved
        renewed, left = await domain.renewals.renew_due(due)
    assert [r.service_id for r in renewed] == [fine] and [item.service_id for item in left] == [short]
    [charge] = await rows(running, LedgerEntry, LedgerEntry.reference.like("renewal:%"))
    assert (charge.label, charge.tariff_id) == ("web-2", (await one(running, Service, Service.id == fine)).tariff_id)
    assert (await one(running, Balance, Balance.user_id == 1002)).amount == 0
    assert (await one(running, Balance, Balance.user_id == 1001)).amount == 0
    [event] = await rows(running, ServiceEvent, ServiceEvent.action == "renewal")
    assert event.service_id == fine and event.actor == "system" and event.after["price"] == PRO_MONTH
    [notice] = await rows(running, Notification, Notification.dedupe_key.like("renewal:%"))
    assert notice.user_id == 1002 and notice.key == "notification-renewal-done"


async def test_short_balance_offers_a_top_up_and_retries_daily(ann, running, clock) -> None:
    await ann.send("/start")
    sid = await buy(running, 1001, months=1, name="web-1", auto_renew=True)
    clock.move(days=27, minutes=1)  # 3 days before expiry, nothing on the balance
    for _ in range(3):
        run = await jobs(running).auto_renewal()
        assert run.renewed == 0
    assert await keys(running, 1001) == [f"renewal-failed:{sid}:20261226:20261223"]
    await deliver(running, clock)
    failed = pushes(ann, "could not be renewed")[-1]
    assert "Top up €12.90: we try again every day until 26 Dec 2026, 09:00." in failed.text
    assert failed.button_texts == ["💳 Top up €12.90", "🔄 Renew now"]
    clock.move(days=1)
    await jobs(running).auto_renewal()
    assert (await keys(running, 1001))[-1] == f"renewal-failed:{sid}:20261226:20261224"
    # The customer tops up with the button; the next sweep renews.
    await deliver(running, clock)
    await ann.press("💳 Top up €12.90", message=pushes(ann, "could not be renewed")[-1])
    assert (await ann.pay()).status == "paid"
    assert (await jobs(running).auto_renewal()).renewed == 1
    assert f"{(await one(running, Service, Service.id == sid)).expires_at:%Y%m%d}" == "20270126"


async def test_expired_service_is_suspended_then_deleted(ann, running, clock) -> None:
    await ann.send("/start")
    sid = await buy(running, 1001, months=1, name="web-1")
    clock.move(days=30, hours=1)  # expired an hour ago: still in its grace period
    await jobs(running).expiry()
    assert (await one(running, Service, Service.id == sid)).status == "active"
    clock.move(days=3)
    for _ in range(2):
        await jobs(running).expiry()
    assert (await one(running, Service, Service.id == sid)).status == "suspended"
    clock.move(days=29)
    await jobs(running).expiry()
    assert (await one(running, Service, Service.id == sid)).status == "suspended"
    clock.move(days=1)
    await jobs(running).expiry()
    assert (await one(running, Service, Service.id == sid)).status == "deleted"
    events = await rows(running, ServiceEvent, ServiceEvent.service_id == sid, ServiceEvent.actor == "system")
    assert [(e.action, e.before, e.after) for e in events] == [
        ("suspended", {"status": "active"}, {"status": "suspended"}),
        ("deleted", {"status": "suspended"}, {"status": "deleted"})]
    assert [k for k in await keys(running, 1001) if not k.startswith("expiry:")] == [
        f"suspended:{sid}:20261226", f"deleted:{sid}:20261226"]
    await deliver(running, clock)
    [suspended] = pushes(ann, "is suspended")
    assert "Renew it before 28 Jan 2027, 09:00, or it will be deleted." in suspended.text
    assert pushes(ann, "was deleted")
    # A deleted service cannot be renewed, even from the suspension notice.
    await ann.press("🔄 Renew now", message=suspended)
    assert "Not found" in ann.last_callback_answer.text


async def test_muted_services_stay_in_the_inbox_and_finance_cannot_be_muted(ann, running, clock) -> None:
    await ann.send("/start")
    await ann.send("/menu")
    await ann.press(next(b for b in ann.screen.button_texts if "Support" in b))
    await ann.press(next(b for b in ann.screen.button_texts if "Notifications" in b))
    await ann.press("⚙️ Preferences")
    assert "cannot be muted" in ann.screen.text
    await ann.press("🔔 Services")
    assert "🔕 Services (muted)" in ann.screen.button_texts
    await ann.press("🔒 Finance (required)")
    assert "🔒 Finance (required)" in ann.screen.button_texts
    sid = await buy(running, 1001, months=1, name="web-1", auto_renew=True)
    clock.move(days=16)
    await jobs(running).expiry()  # a services reminder: muted
    clock.move(days=11, minutes=1)
    await jobs(running).auto_renewal()  # renewal failed: finance, pushed anyway
    notices = await expiry_notices(running, 1001)
    outbox = {o.notification_id for o in await rows(running, OutboxMessage)}
    assert [(n.dedupe_key, n.id in outbox) for n in notices] == [
        (f"expiry:{sid}:20261226:14", False), (f"renewal-failed:{sid}:20261226:20261223", True)]


@pytest.fixture
async def customers(sandbox, running):
    users = []
    for n in range(6):
        user = await sandbox.user(id=3000 + n, first_name=f"C{n}", language_code="en")
        await user.send("/start")
        users.append(user)
    return users


async def test_alerts_reach_each_reachable_customer_once_under_flood_and_faults(customers, sandbox, running,
                                                                               clock) -> None:
    for user in customers:
        await buy(running, user.id, months=1, name=f"srv-{user.id}")
    blocked = customers[0]
    await blocked.block()
    clock.move(days=16)
    sandbox.faults.add(method="sendMessage", code=429, retry_after=1, count=1)
    sandbox.faults.add(method="sendMessage", code=502, count=2)
    sandbox.faults.add(method="sendMessage", drop=True, count=1)
    await jobs(running).expiry()
    await jobs(running).expiry()
    await deliver(running, clock)
    for user in customers:
        got = [c for c in sandbox.calls("sendMessage")
               if c.ok and int(c.params["chat_id"]) == user.id and "expires in 14 days" in c.params["text"]]
        assert len(got) == (0 if user is blocked else 1), user.id
    statuses = sorted(o.status for o in await expiry_outbox(running))
    assert statuses == ["dropped"] + ["sent"] * 5


async def test_a_restart_mid_queue_loses_nothing(customers, sandbox, running, clock) -> None:
    for user in customers:
        await buy(running, user.id, months=1, name=f"srv-{user.id}")
    clock.move(days=16)
    await jobs(running).expiry()
    sandbox.faults.add(method="sendMessage", latency=0.3, count=3)
    worker(running).start()
    await asyncio.sleep(0.2)
    await running.restart()
    await jobs(running).expiry()  # the sweep again after the restart: nothing new
    clock.move(minutes=2)  # leases of rows the stopped worker held have ended
    await deliver(running, clock)
    for user in customers:
        got = [c for c in sandbox.calls("sendMessage")
               if c.ok and int(c.params["chat_id"]) == user.id and "expires in 14 days" in c.params["text"]]
        assert len(got) == 1, user.id
    assert [o.status for o in await expiry_outbox(running)] == ["sent"] * 6


@pytest.mark.skipif(not on_postgres(), reason="two scheduler instances need PostgreSQL (TEST_DATABASE_URL); "
                                               "SQLite is a single-process database")
async def test_two_scheduler_instances_do_not_double_send(customers, sandbox, running, settings, clock) -> None:
    from bot.scheduler import Scheduler

    for user in customers:
        await buy(running, user.id, months=1, name=f"srv-{user.id}", extra=PRO_MONTH if user.id % 2 else 0,
                  auto_renew=True)
    async with running.sessions() as session:  # some are due for auto-renewal, all for a reminder
        await session.execute(update(Service).values(auto_renew=Service.id % 3 == 0))
        await session.commit()
    second = RunningBot(settings, clock=clock, sandbox=sandbox)
    await second.start()
    try:
        # Leader election: only one of two schedulers leads.
        one, two = Scheduler(running.app.engine), Scheduler(second.app.engine)
        await one.start()
        await two.start()
        assert [one.is_leader, two.is_leader].count(True) == 1
        await one.stop()
        await two.stop()
        # And even if both ran the jobs and the worker at once, each alert goes out once.
        before = len(sandbox.calls("sendMessage"))
        clock.move(days=16)
        await asyncio.gather(jobs(running).run_all(), jobs(second).run_all(), jobs(running).run_all())
        clock.move(days=11, minutes=1)
        await asyncio.gather(jobs(running).run_all(), jobs(second).run_all())
        await asyncio.gather(worker(running).drain(), worker(second).drain())
        for _ in range(5):
            clock.move(seconds=2)
            await asyncio.gather(worker(running).drain(), worker(second).drain())
        texts = [(int(c.params["chat_id"]), c.params["text"]) for c in sandbox.calls("sendMessage")[before:]
                 if c.ok]
        assert len(texts) == len(set(texts))
        outbox = await rows(running, OutboxMessage)
        assert outbox and all(o.status == "sent" for o in outbox)
        assert len(texts) == len(outbox)
        renewals = await rows(running, LedgerEntry, LedgerEntry.reference.like("renewal:%"))
        assert len(renewals) == len({r.service_id for r in renewals})
    finally:
        await second.stop()
