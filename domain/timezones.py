"""Time zones: the IANA database (zoneinfo + tzdata), common zones by region, search by city, offline lookup
of a shared location."""

from __future__ import annotations

import threading
import zoneinfo
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from babel.dates import get_timezone_location

if TYPE_CHECKING:
    from timezonefinder import TimezoneFinder

# The zones most customers live in, by region; anything else is found by typing its city.
REGIONS: dict[str, tuple[str, ...]] = {
    "europe": (
        "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris", "Europe/Brussels",
        "Europe/Amsterdam", "Europe/Berlin", "Europe/Zurich", "Europe/Rome", "Europe/Vienna", "Europe/Prague",
        "Europe/Warsaw", "Europe/Budapest", "Europe/Belgrade", "Europe/Stockholm", "Europe/Oslo",
        "Europe/Copenhagen", "Europe/Helsinki", "Europe/Tallinn", "Europe/Riga", "Europe/Vilnius",
        "Europe/Athens", "Europe/Bucharest", "Europe/Sofia", "Europe/Kyiv", "Europe/Chisinau", "Europe/Minsk",
        "Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Europe/Istanbul",
    ),
    "asia": (
        "Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk",
        "Asia/Vladivostok", "Asia/Magadan", "Asia/Kamchatka", "Asia/Tbilisi", "Asia/Yerevan", "Asia/Baku",
        "Asia/Almaty", "Asia/Tashkent", "Asia/Bishkek", "Asia/Dubai", "Asia/Tehran", "Asia/Jerusalem",
        "Asia/Riyadh", "Asia/Karachi", "Asia/Kolkata", "Asia/Dhaka", "Asia/Bangkok", "Asia/Ho_Chi_Minh",
        "Asia/Jakarta", "Asia/Singapore", "Asia/Kuala_Lumpur", "Asia/Hong_Kong", "Asia/Shanghai", "Asia/Taipei",
        "Asia/Manila", "Asia/Seoul", "Asia/Tokyo",
    ),
    "america": (
        "America/St_Johns", "America/Halifax", "America/New_York", "America/Toronto", "America/Chicago",
        "America/Mexico_City", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Vancouver",
        "America/Anchorage", "Pacific/Honolulu", "America/Bogota", "America/Lima", "America/Caracas",
        "America/Santiago", "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "America/Montevideo",
    ),
    "africa": (
        "Africa/Casablanca", "Africa/Lagos", "Africa/Algiers", "Africa/Tunis", "Africa/Cairo",
        "Africa/Johannesburg", "Africa/Nairobi", "Africa/Addis_Ababa", "Africa/Accra", "Africa/Kinshasa",
    ),
    "oceania": (
        "Australia/Perth", "Australia/Darwin", "Australia/Adelaide", "Australia/Brisbane", "Australia/Sydney",
        "Australia/Melbourne", "Australia/Hobart", "Pacific/Guam", "Pacific/Noumea", "Pacific/Auckland",
        "Pacific/Fiji", "Pacific/Tongatapu",
    ),
    "other": (
        "UTC", "Atlantic/Reykjavik", "Atlantic/Azores", "Atlantic/Canary", "Indian/Maldives", "Indian/Mauritius",
    ),
}
MAX_MATCHES = 8
_AREAS = {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"}


@cache
def all_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_zone(name: str) -> bool:
    return name in all_zones()


def utc_offset(zone: str, at: datetime) -> str:
    """'UTC+03:00' for Moscow; 'UTC' for a zero offset."""
    offset = at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def city(zone: str, locale: str) -> str:
    """The zone's city in the customer's language ('Москва'), or the zone's own last part."""
    try:
        return get_timezone_location(zone, locale=locale, return_city=True)
    except Exception:  # babel has no data for a few links (e.g. 'Etc/...')
        return zone.rsplit("/", 1)[-1].replace("_", " ")


def _key(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").casefold().split())


@cache
def _city_index(locales: tuple[str, ...]) -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for zone in all_zones():
        if zone.split("/", 1)[0] not in _AREAS:  # old aliases like 'US/Eastern', 'Chile/Continental'
            continue
        names = {zone.rsplit("/", 1)[-1]} | {city(zone, locale) for locale in locales}
        for name in names:
            index.setdefault(_key(name), set()).add(zone)
    return {name: frozenset(zones) for name, zones in index.items()}


def search(query: str, locales: tuple[str, ...] = ("en",)) -> list[str]:
    """Zones matching what a customer typed: a zone name ('Europe/Berlin', 'utc'), a city in any of `locales`
    ('New York', 'москва'), or the start of one. Exact matches win; at most MAX_MATCHES, sorted."""
    wanted = _key(query)
    if not wanted:
        return []
    by_name = {_key(zone): zone for zone in all_zones()}
    if wanted in by_name:
        return [by_name[wanted]]
    index = _city_index(tuple(sorted(set(locales) | {"en"})))
    if wanted in index:
        return sorted(_canonical_first(index[wanted]))[:MAX_MATCHES]
    if len(wanted) < 3:
        return []
    found: set[str] = set()
    for name, zones in index.items():
        if name.startswith(wanted):
            found |= zones
    return sorted(found)[:MAX_MATCHES]


def _canonical_first(zones: frozenset[str] | set[str]) -> set[str]:
    """Of a zone and its old link names ('Europe/Kiev' for 'Europe/Kyiv'), keep the ones in REGIONS when any."""
    common = {zone for zone in zones if any(zone in listed for listed in REGIONS.values())}
    return common or set(zones)


_finder_lock = threading.Lock()


@cache
def _finder() -> TimezoneFinder:
    from timezonefinder import TimezoneFinder  # loads its bundled polygons: no network, ~0.3 s once

    return TimezoneFinder(in_memory=False)


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone at a point, looked up offline in timezonefinder's bundled boundaries (oceans give 'Etc/...')."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    with _finder_lock:
        zone = _finder().timezone_at(lng=longitude, lat=latitude)
    return zone if zone and is_zone(zone) else None
