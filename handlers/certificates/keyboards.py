"""Certificates: callback data and keyboards."""

from __future__ import annotations

from enum import StrEnum

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from domain.certificates import KEY_TYPES, Action, CertView, Details, Page
from domain.validation import display_domain
from handlers.certificates.views import file_stem, http_files, label
from handlers.common.ui import Callback, MenuCb, button, keyboard, nav_row, pager
from handlers.tickets import question


class CertListCb(Callback, prefix="cl"):
    """The customer's certificates, one page of them."""

    page: int = 0


class CertAction(StrEnum):
    """What a button on a certificate does; the values are what buttons already sent carry. `v` says which key,
    method, approver, file or page where the action needs one."""

    DETAILS = "d"
    KEY = "k"
    KEY_TYPE = "kt"  # v: ec256, rsa2048, rsa3072
    GENERATE = "kg"  # v: the key type, then + (keep it) or - (send it once)
    OWN_CSR = "own"
    METHODS = "m"
    METHOD = "mv"  # v: dns, http, email
    APPROVER = "ap"  # v: the approver's place in the list
    NAMES = "s"
    CHECK = "c"
    RETRY = "rv"
    VALIDATION_FILE = "vf"  # v: the file's place among those still to publish
    FILES = "f"
    FILE = "ff"  # v: a FileKind
    PRIVATE_KEY = "fk"
    PKCS12 = "fp"
    REISSUE = "r"
    REISSUE_CONFIRM = "r!"
    KEEP_CURRENT = "rx"
    HISTORY = "h"  # v: the page
    AUTO_RENEW = "ar"  # v: 1 on, 0 off


class CertCb(Callback, prefix="cr"):
    """A certificate's screen and actions."""

    action: CertAction
    id: int
    v: str = ""


class FileKind(StrEnum):
    CERTIFICATE = "crt"
    CA_BUNDLE = "bundle"
    FULL_CHAIN = "chain"


def file_kind(value: str) -> FileKind:
    """The file a button asks for; the certificate itself for anything else (as buttons always did)."""
    try:
        return FileKind(value)
    except ValueError:
        return FileKind.CERTIFICATE


def details_cb(service_id: int) -> CertCb:
    return CertCb(action=CertAction.DETAILS, id=service_id)


def list_markup(i18n: I18nContext, page: Page, states: list[str]) -> InlineKeyboardMarkup:
    """A button per certificate with its state, the pager, and an order button when there is none yet."""
    rows = [[button(f"{label(view)} · {state}", details_cb(view.service.id))]
            for view, state in zip(page.views, states, strict=True)]
    rows.append(pager(CertListCb(page=page.page - 1) if page.page > 0 else None,
                      CertListCb(page=page.page + 1) if page.page + 1 < page.pages else None, page.page, page.pages))
    if not page.views:
        rows.append([button(i18n.get("menu-button-order"), MenuCb(section="order"))])
    return keyboard(*rows, nav_row(i18n))


def details_markup(i18n: I18nContext, details: Details, renew: InlineKeyboardButton | None = None
                   ) -> InlineKeyboardMarkup:
    """Only what the certificate's status allows: a deleted service's certificate keeps its history alone.
    `renew` is Renew now with the price of the term (None when the service cannot be renewed)."""
    sid, allows = details.view.service.id, details.allows
    rows = []
    if allows(Action.CHECK):
        rows.append([button(i18n.get("certificate-button-check"), CertCb(action=CertAction.CHECK, id=sid))])
    if allows(Action.RETRY):
        rows.append([button(i18n.get("acme-button-retry"), CertCb(action=CertAction.RETRY, id=sid))])
    if allows(Action.VALIDATION_FILE) and details.validation is not None:
        files = http_files(details.validation)
        several = len(files) > 1  # then each button names its domain
        rows += [[button(i18n.get("acme-button-file") + (f" · {display_domain(item.name)}" if several else ""),
                         CertCb(action=CertAction.VALIDATION_FILE, id=sid, v=str(i)))]
                 for i, item in enumerate(files)]
    if allows(Action.KEY):
        rows.append([button(i18n.get("certificate-button-key"), CertCb(action=CertAction.KEY, id=sid))])
    parameters = []
    if allows(Action.METHOD):
        parameters.append(button(i18n.get("certificate-button-method"), CertCb(action=CertAction.METHODS, id=sid)))
    if allows(Action.NAMES):
        parameters.append(button(i18n.get("certificate-button-names"), CertCb(action=CertAction.NAMES, id=sid)))
    rows.append(parameters)
    if allows(Action.FILES):
        rows.append([button(i18n.get("certificate-button-files"), CertCb(action=CertAction.FILES, id=sid))])
    if allows(Action.REISSUE):
        rows.append([button(i18n.get("certificate-button-reissue"), CertCb(action=CertAction.REISSUE, id=sid))])
    if allows(Action.KEEP_CURRENT):
        rows.append([button(i18n.get("certificate-button-reissue-cancel"),
                            CertCb(action=CertAction.KEEP_CURRENT, id=sid))])
    if renew is not None:
        rows.append([renew])
    if details.view.service.status != "deleted":
        on = details.view.service.auto_renew
        rows.append([button(i18n.get("licence-button-auto-renew", on="yes" if on else "no"),
                            CertCb(action=CertAction.AUTO_RENEW, id=sid, v="0" if on else "1"))])
    last = [button(i18n.get("certificate-button-history"), CertCb(action=CertAction.HISTORY, id=sid))]
    if allows(Action.QUESTION):
        last.append(button(i18n.get("tickets-button-question"), question(sid)))
    rows.append(last)
    return keyboard(*rows, nav_row(i18n, CertListCb()))


def back_markup(i18n: I18nContext, service_id: int) -> InlineKeyboardMarkup:
    return keyboard(nav_row(i18n, details_cb(service_id)))


def form_markup(i18n: I18nContext, service_id: int) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("button-back"), details_cb(service_id)),
                     button(i18n.get("button-cancel"), "cancel")])


def key_markup(i18n: I18nContext, service_id: int) -> InlineKeyboardMarkup:
    rows = [[button(i18n.get("certificate-key-type", type=t), CertCb(action=CertAction.KEY_TYPE, id=service_id, v=t))]
            for t in KEY_TYPES]
    rows.append([button(i18n.get("certificate-button-own-csr"), CertCb(action=CertAction.OWN_CSR, id=service_id))])
    return keyboard(*rows, nav_row(i18n, details_cb(service_id)))


def keep_markup(i18n: I18nContext, service_id: int, key_type: str) -> InlineKeyboardMarkup:
    return keyboard(
        [button(i18n.get("certificate-button-keep"), CertCb(action=CertAction.GENERATE, id=service_id,
                                                             v=f"{key_type}+"))],
        [button(i18n.get("certificate-button-no-keep"), CertCb(action=CertAction.GENERATE, id=service_id,
                                                                v=f"{key_type}-"))],
        nav_row(i18n, CertCb(action=CertAction.KEY, id=service_id)))


def methods_markup(i18n: I18nContext, details: Details) -> InlineKeyboardMarkup:
    """The methods the CA offers for this certificate, and the approver addresses when e-mail is chosen."""
    sid, current = details.view.service.id, details.view.certificate.dcv_method
    rows = [[button(("• " if m == current else "") + i18n.get("certificate-method", method=m),
                    CertCb(action=CertAction.METHOD, id=sid, v=m))] for m in details.methods]
    if current == "email" and details.validation is not None:
        chosen = details.view.certificate.approver_email
        rows += [[button(("• " if e == chosen else "") + e, CertCb(action=CertAction.APPROVER, id=sid, v=str(i)))]
                 for i, e in enumerate(details.validation.approvers)]
    return keyboard(*rows, nav_row(i18n, details_cb(sid)))


def files_markup(i18n: I18nContext, view: CertView) -> InlineKeyboardMarkup:
    sid, stem = view.service.id, file_stem(view.domain)
    rows = [[button(f"📄 {stem}.crt", CertCb(action=CertAction.FILE, id=sid, v=FileKind.CERTIFICATE))],
            [button(f"📄 {stem}.ca-bundle.crt", CertCb(action=CertAction.FILE, id=sid, v=FileKind.CA_BUNDLE))],
            [button(f"📄 {stem}.fullchain.crt", CertCb(action=CertAction.FILE, id=sid, v=FileKind.FULL_CHAIN))]]
    if view.certificate.private_key is not None:
        rows.append([button(i18n.get("certificate-button-private-key"),
                            CertCb(action=CertAction.PRIVATE_KEY, id=sid))])
        rows.append([button(i18n.get("certificate-button-p12"), CertCb(action=CertAction.PKCS12, id=sid))])
    return keyboard(*rows, nav_row(i18n, details_cb(sid)))


def reissue_markup(i18n: I18nContext, service_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [button(i18n.get("certificate-button-reissue-confirm"), CertCb(action=CertAction.REISSUE_CONFIRM,
                                                                       id=service_id))],
        [button(i18n.get("certificate-button-reissue-keep"), details_cb(service_id))], nav_row(i18n))


def history_markup(i18n: I18nContext, service_id: int, page: int, pages: int) -> InlineKeyboardMarkup:
    def at(number: int) -> CertCb:
        return CertCb(action=CertAction.HISTORY, id=service_id, v=str(number))

    return keyboard(pager(at(page - 1) if page > 0 else None, at(page + 1) if page + 1 < pages else None, page, pages),
                    nav_row(i18n, details_cb(service_id)))
