"""SSL certificates: the list, details with what the CA's validation needs, key and CSR (made here or the
customer's own), validation method and approver, additional names, "check now" (and, with an ACME CA, a retry
after a refusal and the HTTP-01 file to download), the files, the private key (guarded), PKCS#12 with the
customer's password, reissue, history. Buttons follow what the domain says the certificate's status allows; the
domain checks ownership and the status on every call, so a forged or stale button gets the reason."""

from __future__ import annotations

import io
from html import escape

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.certificates import KEY_TYPES, MAX_CSR_BYTES, Action, Details
from domain.errors import DomainError, InvalidInput, NotFound
from domain.unit import Domain
from domain.validation import display_domain
from handlers.certificates.keyboards import (
    CertAction,
    CertCb,
    CertListCb,
    FileKind,
    details_cb,
    details_markup,
    file_kind,
    files_markup,
    form_markup,
    history_markup,
    keep_markup,
    key_markup,
    list_markup,
    methods_markup,
    reissue_markup,
)
from handlers.certificates.states import CertForm, CsrData, NamesData, Pkcs12Data
from handlers.certificates.views import (
    acme_check_text,
    check_text,
    details_text,
    file_stem,
    files_text,
    history_text,
    key_choice_text,
    label,
    list_text,
    methods_text,
    names_question,
    names_text,
)
from handlers.common.errors import error_text, refuse
from handlers.common.guard import GUARDED, forget_code_message
from handlers.common.screen import drop_pressed
from handlers.common.ui import MenuCb, MenuSection, button, register_next_step, register_section, show
from handlers.menu import on_cancel
from handlers.notifications import register_action
from handlers.renewals import card_renew_button, register_card


# list -------------------------------------------------------------------------------------------------------
async def render_list(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                      page_no: int = 0) -> None:
    page = await domain.certificates.page(user.id, page_no)
    text, states = list_text(i18n, page, user, domain.clock.now())
    await show(event, text, list_markup(i18n, page, states))


async def certificates_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext,
                               user: Customer) -> None:
    """The customer's certificates, newest first."""
    await render_list(callback, domain, i18n, user)


async def list_page_pressed(callback: CallbackQuery, callback_data: CertListCb, domain: Domain, i18n: I18nContext,
                            user: Customer) -> None:
    await render_list(callback, domain, i18n, user, callback_data.page)


# details ----------------------------------------------------------------------------------------------------
async def show_details(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                       details: Details, notice: str | None = None) -> None:
    text = details_text(i18n, details, user, domain.clock.now())
    renew = None
    if details.view.service.status != "deleted":
        renew = await card_renew_button(i18n, domain, user, details.view.service.id)
    await show(event, f"{notice}\n\n{text}" if notice else text, details_markup(i18n, details, renew))


async def render_details(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                         service_id: int, notice: str | None = None) -> None:
    details = await domain.certificates.details(user.id, service_id)
    await show_details(event, domain, i18n, user, details, notice)


async def details_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                          user: Customer, state: FSMContext, raw_state: str | None) -> None:
    """Everything about one certificate, and the next step."""
    if raw_state in CertForm:
        await state.clear()
    await render_details(callback, domain, i18n, user, callback_data.id)


async def allowed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer, service_id: int,
                  action: Action) -> Details | None:
    """The certificate when its status allows `action`; otherwise the reason over the pressed button, and None.
    A foreign or missing certificate is not a refusal of the action: "not found" is said like everywhere."""
    try:
        return await domain.certificates.for_action(user.id, service_id, action)
    except NotFound:
        raise
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return None


async def auto_renew_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                             user: Customer) -> None:
    """Renew the certificate's term from the balance before it ends, as licences are."""
    service = await domain.renewals.set_auto_renew(user.id, callback_data.id, callback_data.v == "1")
    await render_details(callback, domain, i18n, user, service.id,
                         i18n.get("licence-auto-renew-set", on="yes" if service.auto_renew else "no"))


# key and CSR ------------------------------------------------------------------------------------------------
async def key_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                      user: Customer) -> None:
    """Make a key here (which kind), or bring your own CSR."""
    details = await allowed(callback, domain, i18n, user, callback_data.id, Action.KEY)
    if details is not None:
        await show(callback, key_choice_text(i18n, details.view), key_markup(i18n, details.view.service.id))


async def key_type_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                           user: Customer) -> None:
    """Keep the key on the server (encrypted), or get it once and keep no copy here."""
    if callback_data.v not in KEY_TYPES:
        await callback.answer()
        return
    details = await allowed(callback, domain, i18n, user, callback_data.id, Action.KEY)
    if details is not None:
        await show(callback, i18n.get("certificate-key-keep-ask", type=callback_data.v),
                   keep_markup(i18n, details.view.service.id, callback_data.v))


async def generate_pressed(callback: CallbackQuery, callback_data: CertCb, bot: Bot, domain: Domain,
                           i18n: I18nContext, user: Customer) -> None:
    kind, keep = callback_data.v[:-1], callback_data.v.endswith("+")
    try:
        made = await domain.certificates.generate_key(user.id, callback_data.id, kind, keep)
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return
    notice = i18n.get("certificate-key-made", type=kind, kept="yes" if keep else "no")
    if made.view.certificate.status == "issued":
        notice += "\n" + i18n.get("certificate-reissued")
    if not keep:
        # Sent before the screen changes: if sending fails the update fails and nothing is committed.
        key_file = BufferedInputFile(made.key_pem.encode(), f"{file_stem(made.view.domain)}.key")
        await bot.send_document(user.id, key_file, caption=i18n.get("certificate-key-once"))
        await callback.answer()
        await drop_pressed(callback)  # its buttons would make yet another key
        details = await domain.certificates.details(user.id, callback_data.id)
        await bot.send_message(user.id, f"{notice}\n\n{details_text(i18n, details, user, domain.clock.now())}",
                               reply_markup=details_markup(i18n, details))
        return
    await render_details(callback, domain, i18n, user, callback_data.id, notice)


async def own_csr_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                          state: FSMContext, user: Customer) -> None:
    details = await allowed(callback, domain, i18n, user, callback_data.id, Action.KEY)
    if details is None:
        return
    view = details.view
    await state.set_state(CertForm.csr)
    await CsrData(service=view.service.id).save(state)
    await show(callback, i18n.get("certificate-ask-csr", domain=escape(label(view)), names=names_text(view)),
               form_markup(i18n, view.service.id))


async def take_csr(message: Message, data: bytes, domain: Domain, i18n: I18nContext, user: Customer,
                   state: FSMContext) -> None:
    """Check the CSR; a refused one is asked for again with the reason."""
    service_id = (await CsrData.load(state)).service
    try:
        view = await domain.certificates.submit_csr(user.id, service_id, data)
    except InvalidInput as error:
        await message.answer(i18n.get("certificate-csr-refused", reason=error_text(i18n, error, user.time_zone)),
                             reply_markup=form_markup(i18n, service_id))
        return
    await state.clear()
    notice = i18n.get("certificate-csr-accepted")
    if view.certificate.status == "issued":
        notice += "\n" + i18n.get("certificate-reissued")
    await render_details(message, domain, i18n, user, service_id, notice)


async def csr_pasted(message: Message, domain: Domain, i18n: I18nContext, user: Customer, state: FSMContext) -> None:
    await take_csr(message, (message.text or "").encode(), domain, i18n, user, state)


async def csr_uploaded(message: Message, bot: Bot, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext) -> None:
    document = message.document
    assert document is not None
    if (document.file_size or 0) > MAX_CSR_BYTES:
        service_id = (await CsrData.load(state)).service
        await message.answer(i18n.get("certificate-csr-refused", reason=i18n.get("certificate-csr-error-parse")),
                             reply_markup=form_markup(i18n, service_id))
        return
    file = await bot.get_file(document.file_id)
    buffer = io.BytesIO()
    await bot.download_file(file.file_path or "", destination=buffer)
    await take_csr(message, buffer.getvalue(), domain, i18n, user, state)


# validation method and names ----------------------------------------------------------------------------------
async def methods_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    """The methods the CA offers for this certificate (and, for e-mail, the approver addresses)."""
    details = await allowed(callback, domain, i18n, user, callback_data.id, Action.METHOD)
    if details is not None:
        await show(callback, methods_text(i18n, details), methods_markup(i18n, details))


async def method_chosen(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                        user: Customer) -> None:
    try:
        await domain.certificates.set_method(user.id, callback_data.id, callback_data.v)
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return
    if callback_data.v == "email":  # the approver comes next
        await methods_pressed(callback, callback_data, domain, i18n, user)
        return
    await render_details(callback, domain, i18n, user, callback_data.id,
                         i18n.get("certificate-method-set", method=callback_data.v))


async def approver_chosen(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    if not callback_data.v.isdigit():
        await callback.answer()
        return
    try:
        view = await domain.certificates.set_approver(user.id, callback_data.id, int(callback_data.v))
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return
    await render_details(callback, domain, i18n, user, callback_data.id,
                         i18n.get("certificate-approver-set", email=escape(view.certificate.approver_email or "")))


async def names_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                        state: FSMContext, user: Customer) -> None:
    details = await allowed(callback, domain, i18n, user, callback_data.id, Action.NAMES)
    if details is None:
        return
    view = details.view
    await state.set_state(CertForm.sans)
    await NamesData(service=view.service.id).save(state)
    await show(callback, names_question(i18n, view), form_markup(i18n, view.service.id))


async def names_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                        state: FSMContext) -> None:
    service_id = (await NamesData.load(state)).service
    try:
        view = await domain.certificates.set_sans(user.id, service_id, message.text or "")
    except InvalidInput as error:
        await refuse(message, i18n, error, user.time_zone, form_markup(i18n, service_id))
        return
    await state.clear()
    notice = i18n.get("certificate-names-set", names=names_text(view))
    if view.certificate.status == "csr":
        notice += "\n" + i18n.get("certificate-names-new-csr")
    await render_details(message, domain, i18n, user, service_id, notice)


# check now, retry, the validation file ------------------------------------------------------------------------
async def check_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                        user: Customer) -> None:
    """Look now at what is published. The test CA issues at once on success; an ACME CA is asked to validate
    only when every value is as it expects, and the acme-orders job finishes (and tells the customer)."""
    try:
        checked = await domain.certificates.check(user.id, callback_data.id)
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return
    details = await domain.certificates.details(user.id, callback_data.id)
    notice = (acme_check_text(i18n, checked, user) if details.backend == "acme"
              else check_text(i18n, checked.result))
    await show_details(callback, domain, i18n, user, details, notice)


async def retry_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                        user: Customer) -> None:
    """After the CA refused: a fresh order, with new values to publish."""
    try:
        validation = await domain.certificates.retry_validation(user.id, callback_data.id)
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return
    notice = i18n.get("acme-retried") if validation.state == "awaiting" else None
    await render_details(callback, domain, i18n, user, callback_data.id, notice)


async def validation_file_pressed(callback: CallbackQuery, callback_data: CertCb, bot: Bot, domain: Domain,
                                  i18n: I18nContext, user: Customer) -> None:
    """The HTTP-01 file as a document, to put on the site as it is."""
    if not callback_data.v.isdigit():
        await callback.answer()
        return
    try:
        file = await domain.certificates.validation_file(user.id, callback_data.id, index=int(callback_data.v))
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return
    await callback.answer()
    await bot.send_document(user.id, BufferedInputFile(file.content, file.file_name),
                            caption=i18n.get("acme-file-caption", url=escape(file.url)))


# files ------------------------------------------------------------------------------------------------------
async def files_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                        user: Customer) -> None:
    details = await allowed(callback, domain, i18n, user, callback_data.id, Action.FILES)
    if details is not None:
        await show(callback, files_text(i18n, details.view), files_markup(i18n, details.view))


async def file_pressed(callback: CallbackQuery, callback_data: CertCb, bot: Bot, domain: Domain,
                       i18n: I18nContext, user: Customer) -> None:
    try:
        files = await domain.certificates.files(user.id, callback_data.id)
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return
    stem, kind = file_stem(files.domain), file_kind(callback_data.v)
    content, name = {
        FileKind.CERTIFICATE: (files.certificate, f"{stem}.crt"),
        FileKind.CA_BUNDLE: (files.ca_bundle, f"{stem}.ca-bundle.crt"),
        FileKind.FULL_CHAIN: (files.full_chain, f"{stem}.fullchain.crt"),
    }[kind]
    await callback.answer()
    await bot.send_document(user.id, BufferedInputFile(content.encode(), name),
                            caption=i18n.get("certificate-file-caption", file=kind.value,
                                             domain=escape(display_domain(files.domain))))


async def private_key_pressed(callback: CallbackQuery, callback_data: CertCb, bot: Bot, domain: Domain,
                              i18n: I18nContext, user: Customer) -> None:
    """The private key kept on the server (two-step authentication first, when it is on)."""
    try:
        view, pem = await domain.certificates.private_key(user.id, callback_data.id)
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return
    await callback.answer()
    await bot.send_document(user.id, BufferedInputFile(pem.encode(), f"{file_stem(view.domain)}.key"),
                            caption=i18n.get("certificate-key-caption", domain=escape(label(view))))


async def p12_pressed(callback: CallbackQuery, callback_data: CertCb, bot: Bot, domain: Domain, i18n: I18nContext,
                      user: Customer, state: FSMContext) -> None:
    """Ask for the password protecting the PKCS#12 file, below any files already sent (not in the menu above)."""
    details = await allowed(callback, domain, i18n, user, callback_data.id, Action.FILES)
    if details is None:
        return
    view = details.view
    await state.set_state(CertForm.p12)
    await Pkcs12Data(service=view.service.id).save(state)
    await callback.answer()
    await bot.send_message(user.id, i18n.get("certificate-ask-p12-password", domain=escape(label(view))),
                           reply_markup=form_markup(i18n, view.service.id))


async def p12_password_entered(message: Message, bot: Bot, domain: Domain, i18n: I18nContext, user: Customer,
                               state: FSMContext) -> None:
    """The password is read, then its message deleted; the file follows."""
    service_id = (await Pkcs12Data.load(state)).service
    password = message.text or ""
    await forget_code_message(message, bot)
    try:
        view, data = await domain.certificates.pkcs12(user.id, service_id, password)
    except InvalidInput as error:
        await refuse(message, i18n, error, user.time_zone, form_markup(i18n, service_id))
        return
    await state.clear()
    await message.answer_document(BufferedInputFile(data, f"{file_stem(view.domain)}.p12"),
                                  caption=i18n.get("certificate-p12-caption", domain=escape(label(view))))
    await render_details(message, domain, i18n, user, service_id)


# reissue ----------------------------------------------------------------------------------------------------
async def reissue_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    details = await allowed(callback, domain, i18n, user, callback_data.id, Action.REISSUE)
    if details is not None:
        await show(callback, i18n.get("certificate-reissue-ask", domain=escape(label(details.view))),
                   reissue_markup(i18n, details.view.service.id))


async def reissue_confirmed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                            user: Customer) -> None:
    try:
        await domain.certificates.reissue(user.id, callback_data.id)
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return
    await render_details(callback, domain, i18n, user, callback_data.id, i18n.get("certificate-reissue-started"))


async def keep_current_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                               user: Customer) -> None:
    """Give up the reissue: the current certificate stays."""
    try:
        await domain.certificates.cancel_reissue(user.id, callback_data.id)
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return
    await render_details(callback, domain, i18n, user, callback_data.id)


# history ----------------------------------------------------------------------------------------------------
async def history_pressed(callback: CallbackQuery, callback_data: CertCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    """Every step of the certificate, newest first; with an ACME CA each order's URL (what support asks the CA
    about)."""
    page_no = int(callback_data.v) if callback_data.v.isdigit() else 0
    page = await domain.certificates.history(user.id, callback_data.id, page_no)
    await show(callback, history_text(i18n, page, user),
               history_markup(i18n, page.view.service.id, page.page, page.pages))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)

    routes.callback_query.register(certificates_pressed, MenuCb.filter(F.section == "certificates"))
    routes.callback_query.register(list_page_pressed, CertListCb.filter())
    routes.callback_query.register(details_pressed, CertCb.filter(F.action == CertAction.DETAILS))
    routes.callback_query.register(key_pressed, CertCb.filter(F.action == CertAction.KEY))
    routes.callback_query.register(key_type_pressed, CertCb.filter(F.action == CertAction.KEY_TYPE))
    routes.callback_query.register(generate_pressed, CertCb.filter(F.action == CertAction.GENERATE))
    routes.callback_query.register(own_csr_pressed, CertCb.filter(F.action == CertAction.OWN_CSR))
    routes.message.register(csr_pasted, CertForm.csr, F.text)
    routes.message.register(csr_uploaded, CertForm.csr, F.document)
    routes.callback_query.register(methods_pressed, CertCb.filter(F.action == CertAction.METHODS))
    routes.callback_query.register(method_chosen, CertCb.filter(F.action == CertAction.METHOD))
    routes.callback_query.register(approver_chosen, CertCb.filter(F.action == CertAction.APPROVER))
    routes.callback_query.register(names_pressed, CertCb.filter(F.action == CertAction.NAMES))
    routes.message.register(names_entered, CertForm.sans, F.text)
    routes.callback_query.register(check_pressed, CertCb.filter(F.action == CertAction.CHECK))
    routes.callback_query.register(retry_pressed, CertCb.filter(F.action == CertAction.RETRY))
    routes.callback_query.register(validation_file_pressed, CertCb.filter(F.action == CertAction.VALIDATION_FILE))
    routes.callback_query.register(files_pressed, CertCb.filter(F.action == CertAction.FILES))
    routes.callback_query.register(file_pressed, CertCb.filter(F.action == CertAction.FILE))
    routes.callback_query.register(private_key_pressed, CertCb.filter(F.action == CertAction.PRIVATE_KEY),
                                   flags=GUARDED)
    routes.callback_query.register(p12_pressed, CertCb.filter(F.action == CertAction.PKCS12), flags=GUARDED)
    routes.message.register(p12_password_entered, CertForm.p12, F.text)
    routes.callback_query.register(reissue_pressed, CertCb.filter(F.action == CertAction.REISSUE))
    routes.callback_query.register(reissue_confirmed, CertCb.filter(F.action == CertAction.REISSUE_CONFIRM))
    routes.callback_query.register(keep_current_pressed, CertCb.filter(F.action == CertAction.KEEP_CURRENT))
    routes.callback_query.register(history_pressed, CertCb.filter(F.action == CertAction.HISTORY))
    routes.callback_query.register(auto_renew_pressed, CertCb.filter(F.action == CertAction.AUTO_RENEW))
    return routes


register_section(MenuSection(key="certificates", text_key="menu-button-certificates", order=210))
register_action("certificate", lambda args: details_cb(int(args["service_id"])))
register_card("ssl", details_cb)
register_next_step("ssl", lambda i18n, service: button(
    i18n.get("checkout-setup-certificate", domain=display_domain(service.domain or "")),
    CertCb(action=CertAction.KEY, id=service.id)))


@on_cancel(CertForm)
async def cert_form_cancelled(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                              state: FSMContext, note: str) -> None:
    """Cancel while a CSR, the additional names or a PKCS#12 password is asked: back to the certificate."""
    service_id = (await state.get_data()).get("service")
    await state.clear()
    if isinstance(service_id, int):
        await render_details(event, domain, i18n, user, service_id, note)
    else:
        await render_list(event, domain, i18n, user)
