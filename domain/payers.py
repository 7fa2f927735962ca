"""Payers: who pays for an account and gets its invoices. An individual, a sole trader or a legal entity,
each with the data its type requires; numbers checked with python-stdnum where it knows the country's format.

A customer without any payer pays as an implied private person: orders, payments and invoices then carry
payer_id NULL (nothing is written on their behalf, and adding a real payer later changes nothing past)."""

from __future__ import annotations

import builtins
import gettext
import re
from functools import cache

import pycountry
from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError
from stdnum.ru import inn as ru_inn
from stdnum.ru import ogrn as ru_ogrn
from stdnum.util import get_cc_module

from domain.clock import Clock
from domain.errors import DomainError, InvalidInput, NotFound
from domain.models import Invoice, Order, Payer, PayerKind, Payment
from domain.settings import normalise_email

KINDS = tuple(PayerKind)
# The fields each type asks for, in dialog order; optional ones may be skipped.
FIELDS: dict[str, tuple[str, ...]] = {
    PayerKind.INDIVIDUAL: ("name", "country", "address"),
    PayerKind.SOLE: ("name", "country", "tax_number", "address"),
    PayerKind.LEGAL: ("name", "country", "reg_number", "tax_number", "address", "contact", "email"),
}
OPTIONAL: dict[str, frozenset[str]] = {PayerKind.INDIVIDUAL: frozenset({"address"}), PayerKind.SOLE: frozenset(),
                                       PayerKind.LEGAL: frozenset()}
BANK_TRANSFER_KINDS = frozenset({PayerKind.SOLE, PayerKind.LEGAL})
MAX_PAYERS = 10
MAX_TEXT = 200
MAX_ADDRESS = 500

# stdnum module names tried for a country's tax and registration numbers (those a country lacks are skipped).
_TAX_MODULES = ("vat", "tin", "ein", "utr", "nif", "nip", "cif", "inn")
_REG_MODULES = ("ogrn", "siren", "regon", "kvk")
_KPP = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")
_FREE_NUMBER = re.compile(r"^[0-9A-Z][0-9A-Z ./-]{1,62}[0-9A-Z]$")
_EU_PREFIX = {"GR": "EL"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Short names people type that pycountry's names and translations do not contain.
_ALIASES = {"россия": "RU", "рф": "RU", "russia": "RU", "сша": "US", "usa": "US", "uk": "GB",
            "великобритания": "GB", "england": "GB", "англия": "GB"}


class PayerInUse(DomainError):
    """A payer that paid for something stays on the records: it can be disabled, not deleted."""

    message_id = "payers-error-in-use"


# --- countries -------------------------------------------------------------------------------------------

@cache
def _translation(locale: str) -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
    except OSError:
        return gettext.NullTranslations()


def country_name(code: str | None, locale: str) -> str:
    """The country's name in `locale` when pycountry has it translated, else in English."""
    country = pycountry.countries.get(alpha_2=code or "")
    if country is None:
        return code or ""
    name = getattr(country, "common_name", None) or country.name
    return _translation(locale).gettext(country.name) if locale != "en" else name


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = dict(_ALIASES)
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names[value.casefold()] = country.alpha_2
                names[_translation("ru").gettext(value).casefold()] = country.alpha_2
    return names


def parse_country(text: str) -> str:
    """An ISO code (RU, RUS) or a name in English or Russian ("Germany", "Германия") -> alpha-2."""
    query = " ".join(text.split())
    if not query or len(query) > 80:
        raise InvalidInput("payers-error-country", value=query[:80])
    country = None
    if len(query) == 2:
        country = pycountry.countries.get(alpha_2=query.upper())
    elif len(query) == 3:
        country = pycountry.countries.get(alpha_3=query.upper())
    if country is not None:
        return str(country.alpha_2)
    names = _country_names()
    if query.casefold() in names:
        return names[query.casefold()]
    prefixed = {code for name, code in names.items() if name.startswith(query.casefold())}
    if len(prefixed) == 1 and len(query) >= 4:
        return prefixed.pop()
    try:
        matches = pycountry.countries.search_fuzzy(query)
    except LookupError:
        matches = []
    if len(matches) >= 1 and len(query) >= 4:
        return str(matches[0].alpha_2)
    raise InvalidInput("payers-error-country", value=query)


# --- numbers ---------------------------------------------------------------------------------------------

def _compact(text: str) -> str:
    return " ".join(text.upper().split())


def tax_number(country: str, text: str, kind: str) -> str:
    """A VAT or tax number checked against the country's format where stdnum knows one.

    Russia: an INN (10 digits for a company, 12 for a person), a company may add its KPP as `INN/KPP`.
    EU: a VAT number with or without the country prefix (stored with it). Unknown formats: as typed."""
    raw = _compact(text)
    error = InvalidInput("payers-error-tax-number", value=raw[:64])
    if not raw:
        raise error
    if country == "RU":
        inn_part, _, kpp = (part.strip() for part in raw.partition("/"))
        inn = ru_inn.compact(inn_part)
        if not ru_inn.is_valid(inn) or len(inn) != (10 if kind == PayerKind.LEGAL else 12):
            raise error
        if kpp:
            if kind != PayerKind.LEGAL or not _KPP.match(kpp):
                raise error
            return f"{inn}/{kpp}"
        return inn
    if country.lower() in eu_vat.MEMBER_STATES:
        prefix = _EU_PREFIX.get(country, country)
        candidate = raw if raw.replace(" ", "")[:2].isalpha() else prefix + raw
        if eu_vat.is_valid(candidate) and eu_vat.compact(candidate)[:2] == prefix:
            return str(eu_vat.compact(candidate))
    modules = [m for m in (get_cc_module(country.lower(), name) for name in _TAX_MODULES) if m is not None]
    for module in modules:
        if module.is_valid(raw):
            return str(module.compact(raw))
    if modules or country.lower() in eu_vat.MEMBER_STATES or not _FREE_NUMBER.match(raw):
        raise error
    return raw


def reg_number(country: str, text: str, kind: str) -> str:
    """A company registration number (OGRN in Russia, SIREN in France, ...); unknown formats as typed."""
    raw = _compact(text)
    error = InvalidInput("payers-error-reg-number", value=raw[:64])
    if country == "RU":
        number = ru_ogrn.compact(raw)
        if not ru_ogrn.is_valid(number) or len(number) != 13:
            raise error
        return str(number)
    modules = [m for m in (get_cc_module(country.lower(), name) for name in _REG_MODULES) if m is not None]
    for module in modules:
        try:
            return str(module.validate(raw))
        except ValidationError:
            continue
    if modules or not _FREE_NUMBER.match(raw):
        raise error
    return raw


def _text(text: str, message_id: str, limit: int = MAX_TEXT, minimum: int = 2) -> str:
    value = " ".join(text.split())
    if not minimum <= len(value) <= limit or _CONTROL.search(text.replace("\n", " ")):
        raise InvalidInput(message_id, value=value[:64], limit=limit)
    return value


def clean_field(kind: str, field: str, text: str, country: str | None) -> str:
    """One field of a payer of `kind`, validated and normalised; InvalidInput says what is wrong."""
    if field not in FIELDS.get(kind, ()):
        raise InvalidInput()
    if field == "name":
        return _text(text, "payers-error-name")
    if field == "contact":
        return _text(text, "payers-error-contact")
    if field == "address":
        return _text(text, "payers-error-address", MAX_ADDRESS, minimum=5)
    if field == "country":
        return parse_country(text)
    if field == "email":
        return normalise_email(text)
    if field == "tax_number":
        return tax_number(country or "", text, kind)
    return reg_number(country or "", text, kind)


# --- the service -----------------------------------------------------------------------------------------

class Payers:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def list(self, user_id: int) -> list[Payer]:
        """Active payers first (the default on top), then disabled ones."""
        return list(await self._session.scalars(
            select(Payer).where(Payer.user_id == user_id)
            .order_by(Payer.active.desc(), Payer.is_default.desc(), Payer.id)
        ))

    async def active(self, user_id: int) -> builtins.list[Payer]:  # `list` is the method above in here
        return [p for p in await self.list(user_id) if p.active]

    async def can_pay_by_transfer(self, user_id: int) -> bool:
        """Bank transfer is for companies and sole traders: it needs an active payer of that kind."""
        return any(p.kind in BANK_TRANSFER_KINDS for p in await self.active(user_id))

    async def get(self, user_id: int, payer_id: int) -> Payer:
        payer = await self._session.get(Payer, payer_id)
        if payer is None or payer.user_id != user_id:
            raise NotFound()
        return payer

    async def create(self, user_id: int, kind: str, data: dict[str, str | None]) -> Payer:
        """A new payer from the dialog's answers (checked again here); the first one becomes the default. A refusal
        changes nothing."""
        if kind not in KINDS:
            raise InvalidInput()
        count = await self._session.scalar(select(func.count()).select_from(Payer).where(Payer.user_id == user_id))
        if (count or 0) >= MAX_PAYERS:
            raise DomainError("payers-error-too-many", max=MAX_PAYERS)
        values: dict[str, str | None] = {}
        country = clean_field(kind, "country", str(data.get("country") or ""), None)
        for field in FIELDS[kind]:
            text = data.get(field)
            if not text:
                if field not in OPTIONAL[kind]:
                    raise InvalidInput("payers-error-missing")
                values[field] = None
                continue
            values[field] = clean_field(kind, field, text, country)
        has_default = await self._session.scalar(select(exists().where(
            Payer.user_id == user_id, Payer.is_default.is_(True), Payer.active.is_(True))))
        payer = Payer(user_id=user_id, kind=kind, is_default=not has_default, active=True,
                      created_at=self._clock.now(), **values)
        self._session.add(payer)
        await self._session.flush()
        return payer

    async def update_field(self, user_id: int, payer_id: int, field: str, text: str | None) -> Payer:
        """One field changed (None clears an optional one); a refused value leaves the payer as it was."""
        payer = await self.get(user_id, payer_id)
        if field not in FIELDS[payer.kind]:
            raise InvalidInput()
        if not text:
            if field not in OPTIONAL[payer.kind]:
                raise InvalidInput("payers-error-missing")
            setattr(payer, field, None)
        else:
            value = clean_field(payer.kind, field, text, payer.country)
            if field == "country" and value != payer.country and payer.kind != PayerKind.INDIVIDUAL:
                # Numbers are checked against the country: a new country needs them to still fit.
                for number_field in ("tax_number", "reg_number"):
                    number = getattr(payer, number_field)
                    if number and number_field in FIELDS[payer.kind]:
                        try:
                            clean_field(payer.kind, number_field, number, value)
                        except InvalidInput:
                            raise InvalidInput("payers-error-country-numbers", value=value) from None
            setattr(payer, field, value)
        await self._session.flush()
        return payer

    async def set_default(self, user_id: int, payer_id: int) -> Payer:
        payer = await self.get(user_id, payer_id)
        if not payer.active:
            raise DomainError("payers-error-disabled")
        await self._session.execute(update(Payer).where(Payer.user_id == user_id).values(is_default=False))
        payer.is_default = True
        await self._session.flush()
        return payer

    async def in_use(self, payer_id: int) -> bool:
        """Anything financial carries this payer: orders, payments, invoices."""
        return bool(await self._session.scalar(select(
            exists().where(Order.payer_id == payer_id) | exists().where(Payment.payer_id == payer_id)
            | exists().where(Invoice.payer_id == payer_id)
        )))

    async def delete(self, user_id: int, payer_id: int) -> None:
        """Delete a payer nothing was paid for (else PayerInUse, and nothing changes)."""
        payer = await self.get(user_id, payer_id)
        if await self.in_use(payer.id):
            raise PayerInUse()
        was_default = payer.is_default
        await self._session.delete(payer)
        await self._session.flush()
        if was_default:
            await self._promote_default(user_id)

    async def set_active(self, user_id: int, payer_id: int, active: bool) -> Payer:
        payer = await self.get(user_id, payer_id)
        payer.active = active
        if not active and payer.is_default:
            payer.is_default = False
            await self._session.flush()
            await self._promote_default(user_id)
        elif active:
            await self._session.flush()
            if not any(p.is_default for p in await self.active(user_id)):
                payer.is_default = True
        await self._session.flush()
        return payer

    async def _promote_default(self, user_id: int) -> None:
        remaining = await self.active(user_id)
        if remaining:
            remaining[0].is_default = True
            await self._session.flush()

    async def resolve(self, user_id: int, payer_id: int | None) -> int | None:
        """The payer a payment is made for: the one picked (own and active), else the default active one,
        else None (the customer as an implied private person)."""
        if payer_id:
            payer = await self.get(user_id, payer_id)
            if not payer.active:
                raise DomainError("payers-error-disabled")
            return payer.id
        active = await self.active(user_id)
        default = next((p for p in active if p.is_default), active[0] if active else None)
        return default.id if default else None

    async def stamp_order(self, user_id: int, order_id: int, payer_id: int | None) -> None:
        await self._session.execute(update(Order).where(Order.id == order_id, Order.user_id == user_id)
                                    .values(payer_id=await self.resolve(user_id, payer_id)))

    async def stamp_payment(self, user_id: int, payment_id: int, payer_id: int | None) -> None:
        await self._session.execute(update(Payment).where(Payment.id == payment_id, Payment.user_id == user_id)
                                    .values(payer_id=await self.resolve(user_id, payer_id)))
