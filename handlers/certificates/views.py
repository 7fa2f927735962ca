"""Certificates: texts. What validation asks for comes from the domain (`Details.validation`): the test CA's own
record, file or approver, or what the ACME CA hands out per name."""

from __future__ import annotations

from datetime import datetime
from html import escape

from aiogram_i18n import I18nContext

from domain import dcv
from domain.accounts import Customer
from domain.acme.orders import REVOKE_SUPERSEDED, Publish
from domain.certificates import CertView, Checked, Details, EventPage, Page, Validation
from domain.models import ServiceEvent
from domain.validation import display_domain
from handlers.common.errors import error_text
from handlers.common.format import day, text_of, when


def label(view: CertView) -> str:
    return display_domain(view.domain)


def file_stem(domain: str) -> str:
    return domain.replace("*", "wildcard")


def names_text(view: CertView) -> str:
    return ", ".join(escape(display_domain(n)) for n in view.names)


def http_files(validation: Validation) -> list[Publish]:
    """The HTTP-01 files still to publish, in the order `validation_file(index=...)` counts them."""
    return [i for i in validation.items if i.method == "http" and i.file_name and i.status == "pending"]


# list -------------------------------------------------------------------------------------------------------
def list_text(i18n: I18nContext, page: Page, user: Customer, now: datetime) -> tuple[str, list[str]]:
    """The list's text, and each certificate's state as its button shows it."""
    lines = [i18n.get("certificate-list-title", count=page.total)]
    if not page.views:
        lines.append("\n" + i18n.get("certificate-list-empty"))
    states = []
    for view in page.views:
        state = i18n.get("certificate-state", state=view.state(now))
        states.append(state)
        lines.append(f"\n<b>{escape(label(view))}</b> — {escape(text_of(view.tariff.names, i18n.locale))}\n{state} · "
                     + i18n.get("certificate-until", date=day(view.service.expires_at, user.time_zone, i18n.locale)))
    return "\n".join(lines), states


# details ----------------------------------------------------------------------------------------------------
def key_text(i18n: I18nContext, view: CertView) -> str:
    cert = view.certificate
    if cert.key_type is None:
        return i18n.get("certificate-key-none")
    kept = "own" if cert.key_type == "own" else ("yes" if cert.private_key is not None else "no")
    return i18n.get("certificate-key", type=cert.key_type, kept=kept)


def test_ca_validation_text(i18n: I18nContext, validation: Validation) -> str:
    """The test CA's one record, file or approver for the base domain."""
    item = validation.items[0]
    if item.method == "dns":
        return i18n.get("certificate-dcv-dns", name=item.where, value=item.value)
    if item.method == "http":
        return i18n.get("certificate-dcv-http", url=escape(item.where), content=item.value)
    return i18n.get("certificate-dcv-email", email=escape(item.where))


def acme_validation_lines(i18n: I18nContext, validation: Validation, user: Customer) -> list[str]:
    """The order's state, then per name what to publish (or that the CA confirmed it), or why the CA refused."""
    lines = [i18n.get("acme-order-state", state=validation.state or "none")]
    if validation.state == "failed":
        if validation.problem is not None:
            lines.append(error_text(i18n, validation.problem, user.time_zone))
        return lines
    for item in validation.items:
        name = escape(display_domain(item.name))
        if item.status == "valid":
            lines.append(i18n.get("acme-publish-valid", name=name))
        elif item.method == "dns":
            lines.append(i18n.get("acme-publish-dns", name=name, where=escape(item.where), value=escape(item.value)))
        else:
            lines.append(i18n.get("acme-publish-http", name=name, where=escape(item.where), value=escape(item.value)))
    records = [i.where for i in validation.items if i.method == "dns" and i.status == "pending"]
    if len(records) != len(set(records)):
        lines.append(i18n.get("acme-publish-wildcard-note"))
    return lines


def details_text(i18n: I18nContext, details: Details, user: Customer, now: datetime) -> str:
    view, validation = details.view, details.validation
    cert, tz, locale = view.certificate, user.time_zone, i18n.locale
    lines = [i18n.get("certificate-details-title", domain=escape(label(view))),
             i18n.get("certificate-field-product", product=escape(text_of(view.product.names, locale)),
                      tariff=escape(text_of(view.tariff.names, locale))),
             i18n.get("certificate-field-names", names=names_text(view)),
             i18n.get("certificate-field-state", state=i18n.get("certificate-state", state=view.state(now)))]
    if view.service.status != "active":
        lines.append(i18n.get("certificate-field-service", status=view.service.status))
    lines.append(i18n.get("certificate-field-paid-until", date=day(view.service.expires_at, tz, locale)))
    if view.service.status != "deleted":
        lines.append(i18n.get("certificate-field-auto-renew", on="yes" if view.service.auto_renew else "no"))
    lines.append(key_text(i18n, view))
    if cert.cert_pem is not None and cert.not_after is not None:
        lines.append(i18n.get("certificate-field-valid", date=when(cert.not_after, tz, locale),
                              serial=cert.serial or ""))
        if not details.ca_trusted and details.backend == "acme":
            lines.append(i18n.get("acme-untrusted", ca=escape(details.ca_name)))
        elif not details.ca_trusted:
            lines.append(i18n.get("certificate-test-ca"))
    if view.service.status == "deleted":  # nothing is next
        return "\n".join(lines)
    lines.append("")
    if cert.status == "csr":
        lines.append(i18n.get("certificate-next-csr"))
    elif cert.status == "reissuing":
        lines.append(i18n.get("certificate-next-reissue"))
    if validation is not None or (details.backend == "acme" and cert.status == "csr"):
        lines.append(i18n.get("certificate-field-method", method=cert.dcv_method))
        if validation is None:  # an ACME CA hands out the values once there is a CSR to order for
            lines.append(i18n.get("acme-publish-after-csr"))
        elif validation.backend == "test":
            lines.append(test_ca_validation_text(i18n, validation))
        else:
            lines += acme_validation_lines(i18n, validation, user)
        if cert.checked_at is not None:
            lines.append(i18n.get("certificate-last-check", time=when(cert.checked_at, tz, locale)))
    return "\n".join(lines).rstrip()


def key_choice_text(i18n: I18nContext, view: CertView) -> str:
    return i18n.get("certificate-key-choose", domain=escape(label(view)), names=names_text(view))


def methods_text(i18n: I18nContext, details: Details) -> str:
    view = details.view
    lines = [i18n.get("certificate-method-choose", domain=escape(label(view)))]
    if view.domain.startswith("*."):
        lines.append(i18n.get("certificate-http-wildcard"))
    if view.certificate.dcv_method == "email" and details.validation is not None and details.validation.approvers:
        lines.append(i18n.get("certificate-approver-choose"))
    return "\n".join(lines)


def names_question(i18n: I18nContext, view: CertView) -> str:
    current = ", ".join(escape(display_domain(n)) for n in view.certificate.sans) or "—"
    return i18n.get("certificate-ask-names", domain=escape(label(view)), current=current, max=view.san_limit,
                    base=escape(display_domain(view.base)))


def files_text(i18n: I18nContext, view: CertView) -> str:
    lines = [i18n.get("certificate-files", domain=escape(label(view)))]
    if view.certificate.private_key is None:
        lines.append(i18n.get("certificate-files-no-key"))
    return "\n".join(lines)


# check now --------------------------------------------------------------------------------------------------
def check_text(i18n: I18nContext, result: dcv.CheckResult) -> str:
    """One look: passed, or where the bot looked, what it expected and what it found."""
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


def acme_check_text(i18n: I18nContext, checked: Checked, user: Customer) -> str:
    """Per name found against expected; then whether the CA was asked (the acme-orders job finishes and tells
    the customer), is at it already, or why it refused."""
    lines = [i18n.get("acme-check-passed", where=escape(r.where)) if r.ok else check_text(i18n, r)
             for r in checked.results]
    if checked.submitted:
        lines.append(i18n.get("acme-check-submitted"))
    elif checked.in_progress:
        lines.append(i18n.get("acme-check-in-progress"))
    if checked.problem is not None:
        lines.append(error_text(i18n, checked.problem, user.time_zone))
    return "\n".join(lines)


# history ----------------------------------------------------------------------------------------------------
def _order(url: object) -> str:
    return f"<code>{escape(str(url))}</code>" if url else ""


# Steps the certificate authority takes, whoever pressed the button that led to them.
CA_ACTIONS = frozenset({"ssl-issued", "ssl-renewed", "ssl-acme-error", "ssl-acme-answered", "ssl-acme-failed"})


def actor_of(event: ServiceEvent) -> str:
    return "ca" if event.action in CA_ACTIONS else event.actor


def _change(i18n: I18nContext, field: str, old: str, new: str) -> str:
    return i18n.get("certificate-history-change", field=field, old=old, new=new)


def _names(names: object) -> str:
    return ", ".join(escape(display_domain(str(n))) for n in names or []) if isinstance(names, list) else ""


def event_detail(i18n: I18nContext, event: ServiceEvent, user: Customer) -> str:
    """What an event changed, in words with the old and the new value; for the ACME CA's steps the order's URL,
    which is what support asks the CA about."""
    before, after = event.before or {}, event.after or {}
    if event.action == "ssl-key":
        return i18n.get("certificate-key-made", type=str(after.get("key_type")),
                        kept="yes" if after.get("kept") else "no")
    if event.action == "ssl-method":
        return _change(i18n, "method", i18n.get("certificate-method-word", method=str(before.get("method"))),
                       i18n.get("certificate-method-word", method=str(after.get("method"))))
    if event.action == "ssl-approver":
        return _change(i18n, "approver", escape(str(before.get("email") or "—")), escape(str(after.get("email"))))
    if event.action == "ssl-sans":
        return _change(i18n, "names", _names(before.get("sans")) or "—", _names(after.get("sans")) or "—")
    if event.action == "auto_renew":
        return _change(i18n, "auto_renew", i18n.get("licence-auto-renew-state", on="yes" if before.get("auto_renew")
                                                     else "no"),
                       i18n.get("licence-auto-renew-state", on="yes" if after.get("auto_renew") else "no"))
    if event.action == "renewal" and after.get("expires_at"):
        old = before.get("expires_at")
        return _change(i18n, "paid", day(datetime.fromisoformat(old), user.time_zone, i18n.locale) if old else "—",
                       day(datetime.fromisoformat(after["expires_at"]), user.time_zone, i18n.locale))
    if event.action == "ssl-check":
        return i18n.get("certificate-history-check", ok="yes" if after.get("ok") else "no")
    if event.action in ("ssl-issued", "ssl-renewed") and after.get("not_after"):
        issued = i18n.get("certificate-history-issued", serial=escape(str(after.get("serial"))),
                          date=day(datetime.fromisoformat(after["not_after"]), user.time_zone, i18n.locale))
        return " · ".join(filter(None, [issued, _order(after.get("order"))]))
    if event.action == "ssl-acme-order":
        return i18n.get("acme-history-order", purpose=str(after.get("purpose")),
                        names=_names(after.get("names")) or "—", url=escape(str(after.get("order") or "")))
    if event.action == "ssl-acme-answered":
        return i18n.get("acme-history-answered", method=str(after.get("method")),
                        url=escape(str(after.get("order") or "")))
    if event.action in ("ssl-acme-failed", "ssl-acme-error"):
        code = str(after.get("detail") or "").partition(":")[0]
        name = escape(display_domain(str(after["name"]))) if after.get("name") else ""
        return " · ".join(filter(None, [name, escape(code), _order(after.get("order"))]))
    if event.action == "ssl-revoked":
        reason = "superseded" if after.get("reason") == REVOKE_SUPERSEDED else "cessation"
        return i18n.get("acme-history-revoked", serial=escape(str(after.get("serial"))), reason=reason)
    if "status" in after and before.get("status"):  # moved by the expiry sweeps
        return _change(i18n, "status", i18n.get("certificate-service-status", status=str(before["status"])),
                       i18n.get("certificate-service-status", status=str(after["status"])))
    return ""


def history_text(i18n: I18nContext, page: EventPage, user: Customer) -> str:
    lines = [i18n.get("certificate-history-title", domain=escape(label(page.view)), count=page.total)]
    for event in page.events:
        head = i18n.get("certificate-history-line", time=when(event.created_at, user.time_zone, i18n.locale),
                        actor=actor_of(event), action=event.action)
        detail = event_detail(i18n, event, user)
        lines.append(f"\n{head}\n{detail}" if detail else f"\n{head}")
    return "\n".join(lines)
