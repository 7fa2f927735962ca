"""All ORM models; importing this module registers every table on `Base.metadata`."""

from sqlalchemy import Index

from domain.models.base import Base, UTCDateTime
from domain.models.commerce import (
    Balance,
    CartItem,
    LedgerEntry,
    Order,
    OrderItem,
    Payment,
    PaymentCharge,
    Product,
    Service,
    ServiceEvent,
    Tariff,
)
from domain.models.discounts import Discount, PromoCode, PromoRedemption
from domain.models.fsm import DialogState
from domain.models.methods import Autopay, AutopayCharge, PaymentMethod, StripeCustomer, StripeEvent
from domain.models.notifications import Notification, NotificationMute, OutboxMessage
from domain.models.payers import Invoice, InvoiceCounter, Payer
from domain.models.security import Avatar, RecoveryCode, TwoFactor
from domain.models.ssl import Certificate
from domain.models.support import Ticket, TicketGroupMessage, TicketMessage
from domain.models.user import User

# The expiry sweeps (domain/renewals.py) range over the services of one status by expiry date.
Index("ix_services_status_expires_at", Service.status, Service.expires_at)

__all__ = [  # noqa: RUF022 - grouped by module
    "Base", "UTCDateTime",
    "Balance", "CartItem", "LedgerEntry", "Order", "OrderItem", "Payment", "PaymentCharge", "Product", "Service",
    "ServiceEvent", "Tariff",
    "Discount", "PromoCode", "PromoRedemption",
    "DialogState",
    "Autopay", "AutopayCharge", "PaymentMethod", "StripeCustomer", "StripeEvent",
    "Notification", "NotificationMute", "OutboxMessage",
    "Invoice", "InvoiceCounter", "Payer",
    "Avatar", "RecoveryCode", "TwoFactor",
    "Certificate",
    "Ticket", "TicketGroupMessage", "TicketMessage",
    "User",
]
