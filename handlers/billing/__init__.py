"""Billing: the balance, top-ups, payments and expenses, invoices; Telegram Payments' updates; the staff group's
/paid and /refund."""

from handlers.billing.keyboards import BILLING, INVOICES, BillAction, BillCb, InvoiceAction, InvoiceCb
from handlers.billing.payments import router as payments_router
from handlers.billing.resume import register_resume, resume_key
from handlers.billing.router import router, send_invoice
from handlers.billing.staff import router as staff_router

__all__ = ["BILLING", "INVOICES", "BillAction", "BillCb", "InvoiceAction", "InvoiceCb", "payments_router",
           "register_resume", "resume_key", "router", "send_invoice", "staff_router"]
