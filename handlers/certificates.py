"""SSL certificates: the list, details with what the validation method needs, key and CSR (made here or the
customer's own), validation method and approver, additional names, "check now", the files, the private key
(guarded), PKCS#12 with the customer's password, reissue, history. The domain checks ownership on every call."""

from __future__ import annotations

import io
from datetime import datetime
from html import escape
from typing import Any

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from domain import dcv
from domain.accounts import Customer
from domain.certificates import KEY_TYPES, MAX_CSR_BYTES, CertView
from domain.errors import DomainError, InvalidInput
from domain.models import ServiceEvent
from domain.unit import Domain
from domain.validation import display_domain
from handlers.common.errors import error_text, refuse
from handlers.common.format import day, text_of, when
from handlers.common.screen import drop_pressed
from handlers.common.ui import Callback, MenuCb, MenuSection, button, keyboard, nav_row, pager, register_section, show
from handlers.guard import GUARDED, forget_code_message
from handlers.notifications import register_action
from handlers.tickets import question

register_section(MenuSection(key="certificates", text_key="menu-button-certificates", order=210))


class CertListCb(Callback, prefix="cl"):
    p: int = 0


class CertCb(Callback, prefix="cr"):
    """a: d (details), k (key and CSR), kt (key type chosen), kg (generate; v: type + '+' keep or '-'), own (own
    CSR), m (methods), mv (method; v), ap (approver; v: index), s (names), c (check now), f (files), ff (a file;
    v: crt, bundle, chain), fk (private key), fp (PKCS#12), r (reissue), r! (confirmed), rx (keep the current
    certificate), h (history; v: page)."""

    a: str
    id: int
    v: str = ""


class CertForm(StatesGroup):
    csr = State()
    sans = State()
    p12 = State()


register_action("certificate", lambda args: CertCb(a="d", id=int(args["service_id"])))


def label(view: CertView) -> str:
    return display_domain(view.domain)


def file_stem(view: CertView) -> str:
    return view.domain.replace("*", "wildcard")


def names_text(view: CertView) -> str:
    return ", ".join(escape(display_domain(n)) for n in view.names)


# list -------------------------------------------------------------------------------------------------------
async def render_list(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                      page_no: int = 0) -> None:
    page = await domain.certificates.page(user.id, page_no)
    now, locale = domain.clock.now(), i18n.locale
    lines = [i18n.get("certificate-list-title", count=page.total)]
    if not page.views:
        lines.append("\n" + i18n.get("certificate-list-empty"))
    rows = []
    for view in page.views:
        state = i18n.get("certificate-state", state=view.state(now))
        lines.append(f"\n<b>{escape(label(view))}</b> — {escape(text_of(view.tariff.names, locale))}\n{state} · "
                     + i18n.get("certificate-until", date=day(view.service.expires_at, user.time_zone, locale)))
        rows.append([button(f"{label(view)} · {state}", CertCb(a="d", id=view.service.id))])
    rows.append(pager(CertListCb(p=page.page - 1) if page.page > 0 else None,
                      CertListCb(p=page.page + 1) if page.page + 1 < page.pages else None, page.page, page.pages))
    if not page.views:
        rows.append([button(i18n.get("menu-button-order"), MenuCb(section="order"))])
    await show(event, "\n".join(lines), keyboard(*rows, nav_row(i18n)))


async def certificates_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext,
                               user: Customer) -> None:
    """The customer's certificates, newest first."""
    await render_list(callback, domain, i18n, user)


async def list_page_pressed(callback: CallbackQuery, callback_data: CertListCb, domain: Domain, i18n: I18nContext,
                            user: Customer) -> None:
    await render_list(callback, domain, i18n, user, callback_data.p)


# details ----------------------------------------------------------------------------------------------------
def validation_text(i18n: I18nContext, view: CertView) -> str:
    cert, base = view.certificate, view.base
    if cert.dcv_method == "dns":
        return i18n.get("certificate-dcv-dns", name=dcv.dns_name(base), value=cert.dcv_token)
    if cert.dcv_method == "http":
        return i18n.get("certificate-dcv-http", url=escape(dcv.http_url(base, cert.dcv_token)),
                        content=cert.dcv_token)
    return i18n.get("certificate-dcv-email", email=escape(cert.approver_email or ""))


def key_text(i18n: I18nContext, view: CertView) -> str:
    cert = view.certificate
    if cert.key_type is None:
        return i18n.get("certificate-key-none")
    kept = "own" if cert.key_type == "own" else ("yes" if cert.private_key is not None else "no")
    return i18n.get("certificate-key", type=cert.key_type, kept=kept)


def details_text(i18n: I18nContext, domain: Domain, view: CertView, user: Customer) -> str:
    cert, tz, locale, now = view.certificate, user.time_zone, i18n.locale, domain.clock.now()
    state = view.state(now)
    lines = [i18n.get("certificate-details-title", domain=escape(label(view))),
             i18n.get("certificate-field-product", product=escape(text_of(view.product.names, locale)),
                      tariff=escape(text_of(view.tariff.names, locale))),
             i18n.get("certificate-field-names", names=names_text(view)),
             i18n.get("certificate-field-state", state=i18n.get("certificate-state", state=state))]
    if view.service.status != "active":
        lines.append(i18n.get("certificate-field-service", status=view.service.status))
    lines.append(i18n.get("certificate-field-paid-until", date=day(view.service.expires_at, tz, locale)))
    lines.append(key_text(i18n, view))
    if cert.cert_pem is not None and cert.not_after is not None:
        lines.append(i18n.get("certificate-field-valid", date=when(cert.not_after, tz, locale),
                              serial=cert.serial or ""))
        if not domain.certificates.ca_trusted:
            lines.append(i18n.get("certificate-test-ca"))
    lines.append("")
    if cert.status == "csr":
        lines.append(i18n.get("certificate-next-csr"))
    elif cert.status == "reissuing":
        lines.append(i18n.get("certificate-next-reissue"))
    if cert.status in ("csr", "validation"):
        lines.append(i18n.get("certificate-field-method", method=cert.dcv_method))
        lines.append(validation_text(i18n, view))
        if cert.checked_at is not None:
            lines.append(i18n.get("certificate-last-check", time=when(cert.checked_at, tz, locale)))
    return "\n".join(lines).rstrip()


def details_markup(i18n: I18nContext, view: CertView) -> InlineKeyboardMarkup:
    sid, status = view.service.id, view.certificate.status
    rows = []
    active = view.service.status == "active"
    if status == "validation" and active:
        rows.append([button(i18n.get("certificate-button-check"), CertCb(a="c", id=sid))])
    if status in ("csr", "validation", "reissuing") and active:
        rows.append([button(i18n.get("certificate-button-key"), CertCb(a="k", id=sid))])
    if status in ("csr", "validation"):
        rows.append([button(i18n.get("certificate-button-method"), CertCb(a="m", id=sid)),
                     button(i18n.get("certificate-button-names"), CertCb(a="s", id=sid))])
    if view.certificate.cert_pem is not None:
        rows.append([button(i18n.get("certificate-button-files"), CertCb(a="f", id=sid))])
    if status == "issued" and active:
        rows.append([button(i18n.get("certificate-button-reissue"), CertCb(a="r", id=sid))])
    if status == "reissuing":
        rows.append([button(i18n.get("certificate-button-reissue-cancel"), CertCb(a="rx", id=sid))])
    rows.append([button(i18n.get("certificate-button-history"), CertCb(a="h", id=sid)),
                 button(i18n.get("tickets-button-question"), question(sid))])
    return keyboard(*rows, nav_row(i18n, CertListCb()))


async def render_details(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                         service_id: int, notice: str | None = None) -> None:
    view = await domain.certificates.get(user.id, service_id)
    text = details_text(i18n, domain, view, user)
    await show(event, f"{notice}\n\n{text}" if notice else text, details_markup(i18n, view))


async def details_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                          user: Customer, state: FSMContext, raw_state: str | None) -> None:
    """Everything about one certificate, and the next step."""
    if raw_state in CertForm:
        await state.clear()
    await render_details(callback, domain, i18n, user, callback_data.id)


def back_markup(i18n: I18nContext, service_id: int) -> InlineKeyboardMarkup:
    return keyboard(nav_row(i18n, CertCb(a="d", id=service_id)))


def form_markup(i18n: I18nContext, service_id: int) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("button-back"), CertCb(a="d", id=service_id)),
                     button(i18n.get("button-cancel"), "cancel")])


# key and CSR ------------------------------------------------------------------------------------------------
async def key_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                      user: Customer) -> None:
    """Make a key here (which kind), or bring your own CSR."""
    view = await domain.certificates.get(user.id, callback_data.id)
    sid = view.service.id
    rows = [[button(i18n.get("certificate-key-type", type=t), CertCb(a="kt", id=sid, v=t))] for t in KEY_TYPES]
    rows.append([button(i18n.get("certificate-button-own-csr"), CertCb(a="own", id=sid))])
    await show(callback, i18n.get("certificate-key-choose", domain=escape(label(view)), names=names_text(view)),
               keyboard(*rows, nav_row(i18n, CertCb(a="d", id=sid))))


async def key_type_pressed(callback: CallbackQuery, callback_data: CertCb, i18n: I18nContext) -> None:
    """Keep the key on the server (encrypted), or get it once and keep no copy here."""
    if callback_data.v not in KEY_TYPES:
        await callback.answer()
        return
    sid, kind = callback_data.id, callback_data.v
    await show(callback, i18n.get("certificate-key-keep-ask", type=kind), keyboard(
        [button(i18n.get("certificate-button-keep"), CertCb(a="kg", id=sid, v=f"{kind}+"))],
        [button(i18n.get("certificate-button-no-keep"), CertCb(a="kg", id=sid, v=f"{kind}-"))],
        nav_row(i18n, CertCb(a="k", id=sid))))


async def generate_pressed(callback: CallbackQuery, callback_data: CertCb, bot: Bot, domain: Domain,
                           i18n: I18nContext, user: Customer) -> None:
    kind, keep = callback_data.v[:-1], callback_data.v.endswith("+")
    try:
        made = await domain.certificates.generate_key(user.id, callback_data.id, kind, keep)
    except DomainError as error:
        await refuse(callback, i18n, error)
        return
    issued = made.view.certificate.status == "issued"
    notice = i18n.get("certificate-key-made", type=kind, kept="yes" if keep else "no")
    if issued:
        notice += "\n" + i18n.get("certificate-reissued")
    if not keep:
        # Sent before the screen changes: if sending fails the update fails and nothing is committed.
        await bot.send_document(user.id, BufferedInputFile(made.key_pem.encode(), f"{file_stem(made.view)}.key"),
                                caption=i18n.get("certificate-key-once"))
        await callback.answer()
        await drop_pressed(callback)  # its buttons would make yet another key
        view = await domain.certificates.get(user.id, callback_data.id)
        await bot.send_message(user.id, f"{notice}\n\n{details_text(i18n, domain, view, user)}",
                               reply_markup=details_markup(i18n, view))
        return
    await render_details(callback, domain, i18n, user, callback_data.id, notice)


async def own_csr_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                          state: FSMContext, user: Customer) -> None:
    view = await domain.certificates.get(user.id, callback_data.id)
    await state.set_state(CertForm.csr)
    await state.set_data({"service": view.service.id})
    await show(callback, i18n.get("certificate-ask-csr", domain=escape(label(view)), names=names_text(view)),
               form_markup(i18n, view.service.id))


async def _take_csr(message: Message, data: bytes, domain: Domain, i18n: I18nContext, user: Customer,
                    state: FSMContext) -> None:
    service_id = int((await state.get_data())["service"])
    try:
        view = await domain.certificates.submit_csr(user.id, service_id, data)
    except InvalidInput as error:
        await message.answer(i18n.get("certificate-csr-refused", reason=error_text(i18n, error)),
                             reply_markup=form_markup(i18n, service_id))
        return
    await state.clear()
    notice = i18n.get("certificate-csr-accepted")
    if view.certificate.status == "issued":
        notice += "\n" + i18n.get("certificate-reissued")
    await render_details(message, domain, i18n, user, service_id, notice)


async def csr_pasted(message: Message, domain: Domain, i18n: I18nContext, user: Customer, state: FSMContext) -> None:
    await _take_csr(message, (message.text or "").encode(), domain, i18n, user, state)


async def csr_uploaded(message: Message, bot: Bot, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext) -> None:
    document = message.document
    assert document is not None
    if (document.file_size or 0) > MAX_CSR_BYTES:
        service_id = int((await state.get_data())["service"])
        await message.answer(i18n.get("certificate-csr-refused", reason=i18n.get("certificate-csr-error-parse")),
                             reply_markup=form_markup(i18n, service_id))
        return
    file = await bot.get_file(document.file_id)
    buffer = io.BytesIO()
    await bot.download_file(file.file_path or "", destination=buffer)
    await _take_csr(message, buffer.getvalue(), domain, i18n, user, state)


# validation method and names ----------------------------------------------------------------------------------
async def methods_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    view = await domain.certificates.get(user.id, callback_data.id)
    sid, current = view.service.id, view.certificate.dcv_method
    methods = [m for m in dcv.METHODS if not (m == "http" and view.domain.startswith("*."))]
    rows = [[button(("• " if m == current else "") + i18n.get("certificate-method", method=m),
                    CertCb(a="mv", id=sid, v=m))] for m in methods]
    text = [i18n.get("certificate-method-choose", domain=escape(label(view)))]
    if len(methods) < len(dcv.METHODS):
        text.append(i18n.get("certificate-http-wildcard"))
    if current == "email":
        text.append(i18n.get("certificate-approver-choose"))
        rows += [[button(("• " if e == view.certificate.approver_email else "") + e,
                         CertCb(a="ap", id=sid, v=str(i)))] for i, e in enumerate(dcv.approvers(view.base))]
    await show(callback, "\n".join(text), keyboard(*rows, nav_row(i18n, CertCb(a="d", id=sid))))


async def method_chosen(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                        user: Customer) -> None:
    try:
        await domain.certificates.set_method(user.id, callback_data.id, callback_data.v)
    except DomainError as error:
        await refuse(callback, i18n, error)
        return
    if callback_data.v == "email":
        await methods_pressed(callback, callback_data, domain, i18n, user)
        return
    await render_details(callback, domain, i18n, user, callback_data.id,
                         i18n.get("certificate-method-set", method=callback_data.v))


async def approver_chosen(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    view = await domain.certificates.get(user.id, callback_data.id)
    emails = dcv.approvers(view.base)
    index = int(callback_data.v) if callback_data.v.isdigit() else -1
    if not 0 <= index < len(emails):
        await callback.answer()
        return
    try:
        await domain.certificates.set_approver(user.id, callback_data.id, emails[index])
    except DomainError as error:
        await refuse(callback, i18n, error)
        return
    await render_details(callback, domain, i18n, user, callback_data.id,
                         i18n.get("certificate-approver-set", email=escape(emails[index])))


async def names_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                        state: FSMContext, user: Customer) -> None:
    view = await domain.certificates.get(user.id, callback_data.id)
    if view.certificate.status not in ("csr", "validation"):
        await refuse(callback, i18n, DomainError("certificate-not-editable"))
        return
    await state.set_state(CertForm.sans)
    await state.set_data({"service": view.service.id})
    current = ", ".join(escape(display_domain(n)) for n in view.certificate.sans) or "—"
    await show(callback, i18n.get("certificate-ask-names", domain=escape(label(view)), current=current,
                                  max=view.san_limit, base=escape(display_domain(view.base))),
               form_markup(i18n, view.service.id))


async def names_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                        state: FSMContext) -> None:
    service_id = int((await state.get_data())["service"])
    try:
        view = await domain.certificates.set_sans(user.id, service_id, message.text or "")
    except InvalidInput as error:
        await refuse(message, i18n, error, markup=form_markup(i18n, service_id))
        return
    except DomainError as error:
        await state.clear()
        await refuse(message, i18n, error, markup=back_markup(i18n, service_id))
        return
    await state.clear()
    notice = i18n.get("certificate-names-set", names=names_text(view))
    if view.certificate.status == "csr":
        notice += "\n" + i18n.get("certificate-names-new-csr")
    await render_details(message, domain, i18n, user, service_id, notice)


# check now --------------------------------------------------------------------------------------------------
def check_text(i18n: I18nContext, result: dcv.CheckResult) -> str:
    if result.ok:
        return i18n.get("certificate-check-ok", method=result.method)
    found = ", ".join(f"<code>{escape(v)}</code>" for v in result.found) if result.found else ""
    lines = [i18n.get("certificate-check-failed", method=result.method, where=escape(result.where),
                      expected=escape(result.expected))]
    if result.error:
        lines.append(i18n.get("certificate-check-error", error=result.error))
    elif result.method == "http":
        lines.append(i18n.get("certificate-check-found-http", status=result.status or 0, found=found or "—"))
    elif result.method == "email":
        lines.append(i18n.get("certificate-check-email-waiting"))
    else:
        lines.append(i18n.get("certificate-check-found", count=len(result.found), found=found or "—"))
    return "\n".join(lines)


async def check_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                        user: Customer) -> None:
    """Look now (DNS, HTTP or the CA's approval); on success the certificate is issued at once."""
    try:
        checked = await domain.certificates.check(user.id, callback_data.id)
    except DomainError as error:
        await refuse(callback, i18n, error)
        return
    await render_details(callback, domain, i18n, user, callback_data.id, check_text(i18n, checked.result))


# files ------------------------------------------------------------------------------------------------------
async def files_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                        user: Customer) -> None:
    view = await domain.certificates.get(user.id, callback_data.id)
    sid, stem = view.service.id, file_stem(view)
    rows = [[button(f"📄 {stem}.crt", CertCb(a="ff", id=sid, v="crt"))],
            [button(f"📄 {stem}.ca-bundle.crt", CertCb(a="ff", id=sid, v="bundle"))],
            [button(f"📄 {stem}.fullchain.crt", CertCb(a="ff", id=sid, v="chain"))]]
    if view.certificate.private_key is not None:
        rows.append([button(i18n.get("certificate-button-private-key"), CertCb(a="fk", id=sid))])
        rows.append([button(i18n.get("certificate-button-p12"), CertCb(a="fp", id=sid))])
    lines = [i18n.get("certificate-files", domain=escape(label(view)))]
    if view.certificate.private_key is None:
        lines.append(i18n.get("certificate-files-no-key"))
    await show(callback, "\n".join(lines), keyboard(*rows, nav_row(i18n, CertCb(a="d", id=sid))))


async def file_pressed(callback: CallbackQuery, callback_data: CertCb, bot: Bot, domain: Domain,
                       i18n: I18nContext, user: Customer) -> None:
    try:
        files = await domain.certificates.files(user.id, callback_data.id)
        view = await domain.certificates.get(user.id, callback_data.id)
    except DomainError as error:
        await refuse(callback, i18n, error)
        return
    stem = file_stem(view)
    content, name = {
        "crt": (files.certificate, f"{stem}.crt"),
        "bundle": (files.ca_bundle, f"{stem}.ca-bundle.crt"),
        "chain": (files.full_chain, f"{stem}.fullchain.crt"),
    }.get(callback_data.v, (files.certificate, f"{stem}.crt"))
    await callback.answer()
    await bot.send_document(user.id, BufferedInputFile(content.encode(), name),
                            caption=i18n.get("certificate-file-caption", file=callback_data.v,
                                             domain=escape(label(view))))


async def private_key_pressed(callback: CallbackQuery, callback_data: CertCb, bot: Bot, domain: Domain,
                              i18n: I18nContext, user: Customer) -> None:
    """The private key kept on the server (two-step authentication first, when it is on)."""
    try:
        view, pem = await domain.certificates.private_key(user.id, callback_data.id)
    except DomainError as error:
        await refuse(callback, i18n, error)
        return
    await callback.answer()
    await bot.send_document(user.id, BufferedInputFile(pem.encode(), f"{file_stem(view)}.key"),
                            caption=i18n.get("certificate-key-caption", domain=escape(label(view))))


async def p12_pressed(callback: CallbackQuery, callback_data: CertCb, bot: Bot, domain: Domain, i18n: I18nContext,
                      user: Customer, state: FSMContext) -> None:
    """Ask for the password protecting the PKCS#12 file, below any files already sent (not in the menu above)."""
    view = await domain.certificates.get(user.id, callback_data.id)
    await state.set_state(CertForm.p12)
    await state.set_data({"service": view.service.id})
    await callback.answer()
    await bot.send_message(user.id, i18n.get("certificate-ask-p12-password", domain=escape(label(view))),
                           reply_markup=form_markup(i18n, view.service.id))


async def p12_password_entered(message: Message, bot: Bot, domain: Domain, i18n: I18nContext, user: Customer,
                               state: FSMContext) -> None:
    """The password is read, then its message deleted; the file follows."""
    service_id = int((await state.get_data())["service"])
    password = message.text or ""
    await forget_code_message(message, bot)
    try:
        view, data = await domain.certificates.pkcs12(user.id, service_id, password)
    except InvalidInput as error:
        await refuse(message, i18n, error, markup=form_markup(i18n, service_id))
        return
    except DomainError as error:
        await state.clear()
        await refuse(message, i18n, error, markup=back_markup(i18n, service_id))
        return
    await state.clear()
    await message.answer_document(BufferedInputFile(data, f"{file_stem(view)}.p12"),
                                  caption=i18n.get("certificate-p12-caption", domain=escape(label(view))))
    await render_details(message, domain, i18n, user, service_id)


# reissue ----------------------------------------------------------------------------------------------------
async def reissue_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    view = await domain.certificates.get(user.id, callback_data.id)
    sid = view.service.id
    await show(callback, i18n.get("certificate-reissue-ask", domain=escape(label(view))), keyboard(
        [button(i18n.get("certificate-button-reissue-confirm"), CertCb(a="r!", id=sid))],
        [button(i18n.get("certificate-button-reissue-keep"), CertCb(a="d", id=sid))], nav_row(i18n)))


async def reissue_confirmed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                            user: Customer) -> None:
    try:
        await domain.certificates.reissue(user.id, callback_data.id)
    except DomainError as error:
        await refuse(callback, i18n, error)
        return
    await render_details(callback, domain, i18n, user, callback_data.id, i18n.get("certificate-reissue-started"))


async def reissue_cancelled(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                            user: Customer) -> None:
    await domain.certificates.cancel_reissue(user.id, callback_data.id)
    await render_details(callback, domain, i18n, user, callback_data.id)


# history ----------------------------------------------------------------------------------------------------
def event_detail(i18n: I18nContext, event: ServiceEvent, user: Customer) -> str:
    before, after = event.before or {}, event.after or {}
    if event.action == "ssl-key":
        return i18n.get("certificate-key-made", type=str(after.get("key_type")),
                        kept="yes" if after.get("kept") else "no")
    if event.action == "ssl-method":
        return f"{escape(str(before.get('method')))} → {escape(str(after.get('method')))}"
    if event.action == "ssl-approver":
        return escape(str(after.get("email")))
    if event.action == "ssl-sans":
        return ", ".join(escape(display_domain(n)) for n in after.get("sans", [])) or "—"
    if event.action == "ssl-check":
        return i18n.get("certificate-history-check", ok="yes" if after.get("ok") else "no")
    if event.action in ("ssl-issued", "ssl-renewed") and after.get("not_after"):
        return i18n.get("certificate-history-issued", serial=escape(str(after.get("serial"))),
                        date=day(datetime.fromisoformat(after["not_after"]), user.time_zone, i18n.locale))
    return ""


async def history_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    page_no = int(callback_data.v) if callback_data.v.isdigit() else 0
    page = await domain.certificates.history(user.id, callback_data.id, page_no)
    lines = [i18n.get("certificate-history-title", domain=escape(label(page.view)), count=page.total)]
    for event in page.events:
        head = i18n.get("certificate-history-line", time=when(event.created_at, user.time_zone, i18n.locale),
                        actor=event.actor, action=event.action)
        detail = event_detail(i18n, event, user)
        lines.append(f"\n{head}\n{detail}" if detail else f"\n{head}")
    sid = page.view.service.id
    args: dict[str, Any] = {"id": sid, "a": "h"}
    markup = keyboard(
        pager(CertCb(v=str(page.page - 1), **args) if page.page > 0 else None,
              CertCb(v=str(page.page + 1), **args) if page.page + 1 < page.pages else None, page.page, page.pages),
        nav_row(i18n, CertCb(a="d", id=sid)))
    await show(callback, "\n".join(lines), markup)


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(certificates_pressed, MenuCb.filter(F.section == "certificates"))
    routes.callback_query.register(list_page_pressed, CertListCb.filter())
    routes.callback_query.register(details_pressed, CertCb.filter(F.a == "d"))
    routes.callback_query.register(key_pressed, CertCb.filter(F.a == "k"))
    routes.callback_query.register(key_type_pressed, CertCb.filter(F.a == "kt"))
    routes.callback_query.register(generate_pressed, CertCb.filter(F.a == "kg"))
    routes.callback_query.register(own_csr_pressed, CertCb.filter(F.a == "own"))
    routes.message.register(csr_pasted, CertForm.csr, F.text)
    routes.message.register(csr_uploaded, CertForm.csr, F.document)
    routes.callback_query.register(methods_pressed, CertCb.filter(F.a == "m"))
    routes.callback_query.register(method_chosen, CertCb.filter(F.a == "mv"))
    routes.callback_query.register(approver_chosen, CertCb.filter(F.a == "ap"))
    routes.callback_query.register(names_pressed, CertCb.filter(F.a == "s"))
    routes.message.register(names_entered, CertForm.sans, F.text)
    routes.callback_query.register(check_pressed, CertCb.filter(F.a == "c"))
    routes.callback_query.register(files_pressed, CertCb.filter(F.a == "f"))
    routes.callback_query.register(file_pressed, CertCb.filter(F.a == "ff"))
    routes.callback_query.register(private_key_pressed, CertCb.filter(F.a == "fk"), flags=GUARDED)
    routes.callback_query.register(p12_pressed, CertCb.filter(F.a == "fp"), flags=GUARDED)
    routes.message.register(p12_password_entered, CertForm.p12, F.text)
    routes.callback_query.register(reissue_pressed, CertCb.filter(F.a == "r"))
    routes.callback_query.register(reissue_confirmed, CertCb.filter(F.a == "r!"))
    routes.callback_query.register(reissue_cancelled, CertCb.filter(F.a == "rx"))
    routes.callback_query.register(history_pressed, CertCb.filter(F.a == "h"))
    return routes
