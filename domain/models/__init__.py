"""All ORM models; importing this module registers every table on `Base.metadata`."""

from sqlalchemy import Index

from domain.models.base import Base, UTCDateTime
from domain.models.commerce import (
    Actor,
    Balance,
    CartItem,
    EntryKind,
    LedgerEntry,
    Order,
    OrderItem,
    Payment,
    PaymentCharge,
    PaymentChargeOutcome,
    PaymentStatus,
    Product,
    Service,
    ServiceAction,
    ServiceEvent,
    ServiceKind,
    ServiceStatus,
    Tariff,
    TopupMethod,
)
from domain.models.discounts import (
    Discount,
    DiscountKind,
    DiscountScope,
    PromoCode,
    PromoKind,
    PromoRedemption,
    PromoSource,
)
from domain.models.fsm import DialogState
from domain.models.methods import (
    Autopay,
    AutopayCharge,
    AutopayChargeStatus,
    MethodKind,
    PaymentMethod,
    StripeCustomer,
    StripeEvent,
)
from domain.models.notifications import (
    Notification,
    NotificationCategory,
    NotificationMute,
    OutboxMessage,
    OutboxStatus,
)
from domain.models.payers import (
    Invoice,
    InvoiceCounter,
    InvoiceLineKind,
    InvoicePurpose,
    InvoiceStatus,
    Payer,
    PayerKind,
)
from domain.models.security import Avatar, RecoveryCode, TwoFactor
from domain.models.ssl import Certificate
from domain.models.support import MessageAuthor, MessageKind, Ticket, TicketGroupMessage, TicketMessage, TicketStatus
from domain.models.user import User

# The expiry sweeps (domain/renewals.py) range over the services of one status by expiry date.
Index("ix_services_status_expires_at", Service.status, Service.expires_at)

__all__ = [  # noqa: RUF022 - grouped by module, the models first, then the values their columns hold
    "Base", "UTCDateTime",
    "Balance", "CartItem", "LedgerEntry", "Order", "OrderItem", "Payment", "PaymentCharge", "Product", "Service",
    "ServiceEvent", "Tariff",
    "Actor", "EntryKind", "PaymentChargeOutcome", "PaymentStatus", "ServiceAction", "ServiceKind", "ServiceStatus",
    "TopupMethod",
    "Discount", "PromoCode", "PromoRedemption",
    "DiscountKind", "DiscountScope", "PromoKind", "PromoSource",
    "DialogState",
    "Autopay", "AutopayCharge", "PaymentMethod", "StripeCustomer", "StripeEvent",
    "AutopayChargeStatus", "MethodKind",
    "Notification", "NotificationMute", "OutboxMessage",
    "NotificationCategory", "OutboxStatus",
    "Invoice", "InvoiceCounter", "Payer",
    "InvoiceLineKind", "InvoicePurpose", "InvoiceStatus", "PayerKind",
    "Avatar", "RecoveryCode", "TwoFactor",
    "Certificate",
    "Ticket", "TicketGroupMessage", "TicketMessage",
    "MessageAuthor", "MessageKind", "TicketStatus",
    "User",
]
