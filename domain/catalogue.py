"""The vendor's catalogue: read from a TOML file, kept in the database, priced per period."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import DomainError, NotFound
from domain.models import Product, ServiceKind, Tariff

KINDS = tuple(ServiceKind)
BASIS_POINTS = 10_000
DEFAULT_SAN_LIMIT = 1
MAX_SAN_LIMIT = 100


class CatalogueError(ValueError):
    """The catalogue file is not usable; the message names the place."""


@dataclass(frozen=True, slots=True)
class Price:
    """A line's price: list price for the period, the period discount, and what is paid."""

    list_price: int
    discount: int
    total: int


def period_price(base_price: int, base_months: int, months: int, discount_bp: int) -> Price:
    """price * months / base_months, less the period discount; rounded half up to a minor unit."""
    list_price = (base_price * months + base_months // 2) // base_months
    discount = (list_price * discount_bp + BASIS_POINTS // 2) // BASIS_POINTS
    return Price(list_price, discount, list_price - discount)


def _texts(entry: dict[str, Any], field: str, where: str, locales: tuple[str, ...]) -> dict[str, str]:
    texts = entry.get(field)
    if not isinstance(texts, dict):
        raise CatalogueError(f"{where}: `{field}` needs a text per language ({', '.join(locales)})")
    missing = [loc for loc in locales if not str(texts.get(loc, "")).strip()]
    if missing:
        raise CatalogueError(f"{where}: `{field}` has no text for {', '.join(missing)}")
    return {loc: str(texts[loc]).strip() for loc in texts}


def parse_catalogue(text: str, locales: tuple[str, ...]) -> list[dict[str, Any]]:
    """Validate the file's content; return products with their tariffs, ready to store."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"not valid TOML: {exc}") from None
    products = data.get("products")
    if not isinstance(products, list) or not products:
        raise CatalogueError("no [[products]]")
    parsed: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, entry in enumerate(products, 1):
        code = str(entry.get("code", "")).strip()
        where = f"product {index} ({code or 'no code'})"
        if not code or code in seen or len(code) > 32:
            raise CatalogueError(f"{where}: `code` must be unique, 1-32 characters")
        seen.add(code)
        kind = entry.get("kind")
        if kind not in KINDS:
            raise CatalogueError(f"{where}: `kind` must be one of {', '.join(KINDS)}")
        base_months = entry.get("base_months", 1)
        if not isinstance(base_months, int) or base_months < 1:
            raise CatalogueError(f"{where}: `base_months` must be a positive whole number")
        periods = entry.get("periods") or []
        if not periods:
            raise CatalogueError(f"{where}: no periods")
        clean_periods = []
        for period in periods:
            months, discount = period.get("months"), period.get("discount_bp", 0)
            if not isinstance(months, int) or months < 1 or not isinstance(discount, int) \
                    or not 0 <= discount < BASIS_POINTS:
                raise CatalogueError(f"{where}: bad period {period!r}")
            clean_periods.append({"months": months, "discount_bp": discount})
        if len({p["months"] for p in clean_periods}) != len(clean_periods):
            raise CatalogueError(f"{where}: a period is listed twice")
        names = _texts(entry, "name", where, locales)
        descriptions = _texts(entry, "description", where, locales)
        tariffs = []
        tariff_codes: set[str] = set()
        for t_index, tariff in enumerate(entry.get("tariffs") or [], 1):
            t_code = str(tariff.get("code", "")).strip()
            t_where = f"{where}, tariff {t_index} ({t_code or 'no code'})"
            if not t_code or t_code in tariff_codes or len(t_code) > 32:
                raise CatalogueError(f"{t_where}: `code` must be unique in the product, 1-32 characters")
            tariff_codes.add(t_code)
            price = tariff.get("price")
            if not isinstance(price, int) or price <= 0:
                raise CatalogueError(f"{t_where}: `price` must be a positive whole number of minor units")
            san_limit = tariff.get("san_limit", DEFAULT_SAN_LIMIT)
            if not isinstance(san_limit, int) or isinstance(san_limit, bool) or not 0 <= san_limit <= MAX_SAN_LIMIT:
                raise CatalogueError(f"{t_where}: `san_limit` must be a whole number from 0 to {MAX_SAN_LIMIT}")
            tariffs.append({
                "code": t_code,
                "price": price,
                "wildcard": bool(tariff.get("wildcard", False)),
                "san_limit": san_limit,
                "names": _texts(tariff, "name", t_where, locales),
                "descriptions": _texts(tariff, "description", t_where, locales),
                "sort": t_index,
            })
        if not tariffs:
            raise CatalogueError(f"{where}: no tariffs")
        parsed.append({
            "code": code,
            "kind": kind,
            "base_months": base_months,
            "names": names,
            "descriptions": descriptions,
            "periods": sorted(clean_periods, key=lambda p: p["months"]),
            "sort": index,
            "tariffs": tariffs,
        })
    return parsed


class TariffUnavailable(DomainError):
    message_id = "order-tariff-unavailable"


class Catalogue:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def sync(self, text: str, locales: tuple[str, ...]) -> dict[str, int]:
        """Upsert the catalogue file's text into the database; products and tariffs no longer in it are
        withdrawn from sale (kept for the services that use them)."""
        products = parse_catalogue(text, locales)
        existing = {p.code: p for p in await self._session.scalars(select(Product))}
        tariffs = {(t.product_code, t.code): t for t in await self._session.scalars(select(Tariff))}
        counts = {"products": 0, "tariffs": 0, "withdrawn": 0}
        listed_products = {p["code"] for p in products}
        listed_tariffs: set[tuple[str, str]] = set()
        for data in products:
            product = existing.get(data["code"])
            if product is None:
                product = Product(code=data["code"])
                self._session.add(product)
            for field in ("kind", "base_months", "names", "descriptions", "periods", "sort"):
                setattr(product, field, data[field])
            product.active = True
            counts["products"] += 1
            for t_data in data["tariffs"]:
                key = (data["code"], t_data["code"])
                listed_tariffs.add(key)
                tariff = tariffs.get(key)
                if tariff is None:
                    tariff = Tariff(product_code=data["code"], code=t_data["code"])
                    self._session.add(tariff)
                for field in ("price", "wildcard", "san_limit", "names", "descriptions", "sort"):
                    setattr(tariff, field, t_data[field])
                tariff.active = True
                counts["tariffs"] += 1
        for code, product in existing.items():
            if code not in listed_products and product.active:
                product.active = False
                counts["withdrawn"] += 1
        for key, tariff in tariffs.items():
            if key not in listed_tariffs and tariff.active:
                tariff.active = False
                counts["withdrawn"] += 1
        await self._session.flush()
        return counts

    async def products(self) -> list[Product]:
        return list(await self._session.scalars(
            select(Product).where(Product.active.is_(True)).order_by(Product.sort)
        ))

    async def product(self, code: str) -> Product:
        product = await self._session.get(Product, code)
        if product is None or not product.active:
            raise NotFound()
        return product

    async def tariffs(self, product_code: str) -> list[Tariff]:
        return list(await self._session.scalars(
            select(Tariff).where(Tariff.product_code == product_code, Tariff.active.is_(True)).order_by(Tariff.sort)
        ))

    async def tariff(self, tariff_id: int, *, for_sale: bool = True) -> Tariff:
        tariff = await self._session.get(Tariff, tariff_id)
        if tariff is None:
            raise NotFound()
        if for_sale and not tariff.active:
            raise TariffUnavailable()
        return tariff

    async def price(self, tariff: Tariff, months: int) -> Price:
        product = await self._session.get(Product, tariff.product_code)
        assert product is not None
        discount = next((p["discount_bp"] for p in product.periods if p["months"] == months), None)
        if discount is None:
            raise TariffUnavailable("order-period-unavailable", months=months)
        return period_price(tariff.price, product.base_months, months, discount)
