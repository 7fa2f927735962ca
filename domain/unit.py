"""The per-update entry point into the domain: one session, the process-wide context, services built lazily."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.accounts import AccountCache, Accounts
from domain.autopay import AutomaticPayments
from domain.catalogue import Catalogue
from domain.certificates import Certificates, SslSettings
from domain.checkout import Checkout
from domain.clock import Clock, SystemClock
from domain.crypto import Cipher
from domain.discounts import Discounts
from domain.invoices import Invoices, VendorDetails
from domain.ledger import Ledger
from domain.notifications import Notifications, Outbox
from domain.orders import Orders
from domain.payers import Payers
from domain.payment_methods import MethodSettings, PaymentMethods
from domain.payments import Payments, PaymentSettings
from domain.promos import Promos
from domain.relay import TicketRelay
from domain.renewals import Renewals, RenewalSettings
from domain.security import Security
from domain.services import RefundPolicy, Services
from domain.settings import Settings
from domain.stripe_gateway import CardGateway
from domain.tickets import Tickets, TicketSettings


@dataclass(frozen=True)
class DomainContext:
    """What every unit of work shares: the clock, the key for secrets at rest, caches and shop settings."""

    clock: Clock = field(default_factory=SystemClock)
    cipher: Cipher = field(default_factory=Cipher.generate)
    account_cache: AccountCache | None = None
    currency: str = "EUR"
    payments: PaymentSettings = field(default_factory=PaymentSettings)
    renewals: RenewalSettings = field(default_factory=RenewalSettings)
    refund_on_delete: str = RefundPolicy.NONE  # or PRORATED (REFUND_ON_DELETE)
    card_gateway: CardGateway | None = None  # Stripe; None when STRIPE_SECRET_KEY is not set
    methods: MethodSettings = field(default_factory=MethodSettings)
    ssl: SslSettings = field(default_factory=SslSettings)
    tickets: TicketSettings = field(default_factory=TicketSettings)
    vendor: VendorDetails = field(default_factory=VendorDetails)  # VENDOR_*, VAT_RATE_BP, INVOICE_DUE_DAYS
    discount_floor_bp: int = 0  # a customer discount never takes a line below this share of its list price


class Domain:
    """What handlers receive as `domain`; they never see the session itself."""

    def __init__(self, session: AsyncSession, context: DomainContext) -> None:
        self.session = session
        self.context = context
        self._after_commit: list[Callable[[], None]] = []

    @property
    def clock(self) -> Clock:
        return self.context.clock

    def on_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once this unit of work has committed (never after a rollback)."""
        self._after_commit.append(action)

    async def commit(self) -> None:
        if self.session.in_transaction():  # an update that read nothing never touched a connection
            await self.session.commit()
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            action()

    def savepoint(self) -> AbstractAsyncContextManager[object]:
        """A part of the unit of work that rolls back alone when it fails (the rest stays)."""
        return self.session.begin_nested()

    async def rollback(self) -> None:
        self._after_commit.clear()
        await self.session.rollback()

    @cached_property
    def accounts(self) -> Accounts:
        return Accounts(self.session, self.clock, self.context.account_cache, self.on_commit)

    @cached_property
    def settings(self) -> Settings:
        return Settings(self.session, self.clock, self.accounts)

    @cached_property
    def security(self) -> Security:
        return Security(self.session, self.clock, self.context.cipher, self.accounts, self.notifications)

    @cached_property
    def catalogue(self) -> Catalogue:
        return Catalogue(self.session)

    @cached_property
    def ledger(self) -> Ledger:
        return Ledger(self.session, self.clock, self.context.currency)

    @cached_property
    def orders(self) -> Orders:
        return Orders(self.session, self.clock, self.catalogue, self.ledger, self.context.cipher,
                      discounts=self.discounts, notifications=self.notifications)

    @cached_property
    def payments(self) -> Payments:
        return Payments(self.session, self.clock, self.ledger, self.context.payments, self.orders, self.payers,
                        self.commit, self.notifications)

    @cached_property
    def notifications(self) -> Notifications:
        return Notifications(self.session, self.clock)

    @cached_property
    def outbox(self) -> Outbox:
        return Outbox(self.session, self.clock)

    @cached_property
    def renewals(self) -> Renewals:
        return Renewals(self.session, self.clock, self.ledger, self.notifications, self.context.renewals,
                        discounts=self.discounts)

    @cached_property
    def services(self) -> Services:
        return Services(self.session, self.clock, self.catalogue, self.ledger, self.context.cipher,
                        self.context.refund_on_delete)

    @cached_property
    def payment_methods(self) -> PaymentMethods:
        return PaymentMethods(self.session, self.clock, self.context.cipher, self.context.card_gateway,
                              self.context.methods, self.notifications, self.commit)

    @cached_property
    def autopay(self) -> AutomaticPayments:
        return AutomaticPayments(self.session, self.clock, self.payment_methods, self.ledger, self.notifications,
                                 self.context.methods, self.context.renewals, self.commit)

    @cached_property
    def checkout(self) -> Checkout:
        return Checkout(self.session, self.orders, self.payers, self.autopay, self.renewals, self.payments)

    @cached_property
    def certificates(self) -> Certificates:
        return Certificates(self.session, self.clock, self.context.cipher, self.context.ssl, self.notifications,
                            self.security)

    @cached_property
    def tickets(self) -> Tickets:
        return Tickets(self.session, self.clock, self.context.tickets, self.ledger, self.notifications)

    @cached_property
    def relay(self) -> TicketRelay:
        return TicketRelay(self.tickets, self.commit, self.rollback)

    @cached_property
    def payers(self) -> Payers:
        return Payers(self.session, self.clock)

    @cached_property
    def invoices(self) -> Invoices:
        return Invoices(self.session, self.clock, self.ledger, self.orders, self.payers, self.payments,
                        self.context.vendor, self.notifications, self.commit)

    @cached_property
    def discounts(self) -> Discounts:
        return Discounts(self.session, self.clock, self.notifications, self.context.currency,
                         self.context.discount_floor_bp)

    @cached_property
    def promos(self) -> Promos:
        return Promos(self.session, self.clock, self.ledger, self.discounts)


@asynccontextmanager
async def unit_of_work(sessions: async_sessionmaker[AsyncSession], context: DomainContext) -> AsyncIterator[Domain]:
    """A unit of work outside any update (jobs, tools, tests): commits on success, rolls back on any error."""
    async with sessions() as session:
        domain = Domain(session, context)
        try:
            yield domain
        except BaseException:
            await domain.rollback()
            raise
        await domain.commit()
