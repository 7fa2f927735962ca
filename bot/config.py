"""Settings from the environment and `.env`. A bad value stops startup with one line naming the setting."""

from __future__ import annotations

import logging
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

from babel.numbers import get_currency_precision, list_currencies
from cryptography.fernet import Fernet
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOCALES_DIR = PROJECT_ROOT / "locales"
TELEGRAM_API = "https://api.telegram.org"
TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{30,}$")
WEBHOOK_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# Well-known ACME directories, so ACME_DIRECTORY_URL may name one instead of spelling its URL.
ACME_DIRECTORIES = {
    "letsencrypt": "https://acme-v02.api.letsencrypt.org/directory",
    "letsencrypt-staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
    "zerossl": "https://acme.zerossl.com/v2/DV90",
    "google": "https://dv.acme-v02.api.pki.goog/directory",
    "google-staging": "https://dv.acme-v02.test-api.pki.goog/directory",
}
# These CAs register no account without external account binding.
ACME_EAB_REQUIRED = ("acme.zerossl.com", "api.pki.goog", "test-api.pki.goog")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}


class ConfigError(Exception):
    """A setting that cannot be used; `str()` is the one line shown to the operator."""

    def __init__(self, setting: str, reason: str) -> None:
        self.setting = setting
        self.reason = reason
        super().__init__(f"{setting}: {reason}")


def available_locales() -> tuple[str, ...]:
    """Locales are the folders of locales/ that hold at least one .ftl file."""
    return tuple(sorted(p.name for p in LOCALES_DIR.iterdir() if p.is_dir() and any(p.glob("*.ftl"))))


def _http_url(value: str, setting: str, *, https_only: bool = False) -> str:
    value = value.strip().rstrip("/")
    schemes = ("https://",) if https_only else ("http://", "https://")
    host = value.split("://", 1)[-1].split("/", 1)[0]
    if not value.startswith(schemes) or not host or " " in value:
        wanted = "an https:// URL" if https_only else "an http:// or https:// URL"
        raise ValueError(f"must be {wanted}, got {value!r}")
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    telegram_api_base: str = TELEGRAM_API
    database_url: str = "sqlite+aiosqlite:///./data/bot.db"
    redis_url: str | None = None
    staff_chat_id: int | None = None
    default_locale: str = "en"
    currency: str = "EUR"
    secret_key: SecretStr | None = None
    # Where a generated SECRET_KEY is kept: apart from DATA_DIR, so one copy of the data (the SQLite file)
    # does not carry the key that opens its secrets.
    secret_key_file: Path = Path("./keys/secret.key")
    data_dir: Path = Path("./data")
    scheduler_enabled: bool = True
    # Updates a webhook worker handles at once; beyond, it answers 503 and Telegram retries (back-pressure).
    webhook_max_in_flight: int = Field(default=100, ge=1, le=10_000)
    # Redis connections per process (dialogs, chat locks, shared throttling); a burst waits for a free one.
    redis_pool_size: int = Field(default=50, ge=2, le=10_000)
    redis_pool_timeout: float = Field(default=10.0, ge=0.1, le=300)
    # Leader election among instances: how often a follower tries to take over (and the leader checks it still
    # leads), and how long a silent leader keeps the lock. A dead leader is replaced within `takeover` seconds,
    # a silent one within `lease` + `takeover`.
    scheduler_takeover: float = Field(default=10.0, ge=1, le=600)
    scheduler_lease: float = Field(default=15.0, ge=3, le=600)
    # Push delivery (bot/delivery.py): messages a second overall, attempts before a message is given up,
    # and the first retry delay (doubling on each further attempt).
    delivery_rate: float = Field(default=25.0, gt=0, le=1000)
    delivery_max_attempts: int = Field(default=5, ge=1, le=50)
    delivery_backoff: float = Field(default=15.0, gt=0)
    # Service expiry (domain/renewals.py): reminder thresholds in days before expiry, auto-renewal lead time,
    # grace before suspension, days from suspension to deletion, and how often the sweeps run (seconds).
    reminder_days: str = "14,7,3,1,0"
    renew_days_before: int = Field(default=3, ge=0, le=60)
    suspend_after_days: int = Field(default=3, ge=0, le=365)
    delete_after_days: int = Field(default=30, ge=0, le=3650)
    reminder_interval: float = Field(default=3600.0, ge=1)
    renewal_interval: float = Field(default=3600.0, ge=1)
    # Deleting a service: "none" (no refund) or "prorated" (the unused days back to the balance).
    refund_on_delete: Literal["none", "prorated"] = "none"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    throttle_rate: float = Field(default=3.0, gt=0)
    throttle_burst: int = Field(default=6, ge=1)
    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = Field(default=8081, ge=0, le=65535)
    catalogue_file: Path = PROJECT_ROOT / "catalogue" / "catalogue.toml"
    payments_provider: Literal["telegram-stars", "telegram-provider"] = "telegram-stars"
    payment_provider_token: SecretStr | None = None
    stars_per_unit: int = Field(default=50, ge=1)
    topup_min: Decimal = Field(default=Decimal("5"), gt=0)
    topup_max: Decimal = Field(default=Decimal("1000"), gt=0)
    topup_presets: str = "10,25,50,100"
    # Cards through Stripe (domain/stripe_gateway.py): without a secret key no card option is offered.
    stripe_secret_key: SecretStr | None = None
    stripe_webhook_secret: SecretStr | None = None
    stripe_api_base: str = "https://api.stripe.com"
    stripe_success_url: str | None = None  # where Stripe's hosted page returns; empty: https://t.me/<bot>
    stripe_cancel_url: str | None = None
    stripe_webhook_port: int = Field(default=8082, ge=0, le=65535)  # polling mode: /stripe/webhook served here
    autopay_max_failures: int = Field(default=3, ge=1, le=100)
    # SSL certificates (domain/certificates.py): the certificate authority ("test" is the local test CA, trusted by
    # nobody; a real CA adapter adds its own value), the DNS servers validation asks (empty: the system's), how often
    # pending validations are re-checked (seconds) and the HTTP validation request's timeout (seconds).
    ca_backend: Literal["test", "acme"] = "test"
    # CA_BACKEND=acme: the CA's directory (a URL, or letsencrypt, letsencrypt-staging, zerossl, google,
    # google-staging), external account binding for CAs that require it, the account's contact address, a file of
    # CA certificates to trust for the directory's TLS (a test CA such as Pebble), and how often the acme-orders
    # job looks for orders due for a poll (seconds; each order backs off on its own).
    acme_directory_url: str | None = None
    acme_eab_kid: str | None = None
    acme_eab_hmac_key: SecretStr | None = None
    acme_email: str | None = None
    acme_ca_bundle: Path | None = None
    acme_poll_interval: float = Field(default=5.0, ge=1, le=3600)
    dns_resolvers: str = ""
    dcv_check_interval: float = Field(default=300.0, ge=10)
    dcv_http_timeout: float = Field(default=10.0, gt=0, le=120)
    # Support tickets (domain/tickets.py): departments offered (names localized as tickets-department-<name>),
    # attachments per new ticket, days a customer may reopen a closed ticket, days before a closed ticket is
    # archived, and whether customers see the first name of the staff member answering.
    ticket_departments: str = "billing,technical,sales"
    ticket_max_attachments: int = Field(default=5, ge=0, le=20)
    ticket_reopen_days: int = Field(default=7, ge=0, le=365)
    ticket_archive_days: int = Field(default=30, ge=1, le=3650)
    support_show_staff_names: bool = False
    # Invoices (domain/invoices.py): the seller printed on them, VAT in basis points (0: no VAT line), days to pay.
    vendor_name: str = "Client Area Vendor"
    vendor_address: str = ""
    vendor_tax_id: str = ""
    vendor_bank_details: str = ""
    vat_rate_bp: int = Field(default=0, ge=0, le=10_000)
    invoice_due_days: int = Field(default=14, ge=0, le=365)
    # Customer discounts never take a line below this share of its list price (basis points; 0: no floor).
    discount_floor_bp: int = Field(default=0, ge=0, le=10000)

    @field_validator("bot_token", "webhook_secret", "secret_key", "redis_url", "webhook_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("stripe_secret_key", "stripe_webhook_secret", "stripe_success_url", "stripe_cancel_url",
                     mode="before")
    @classmethod
    def _blank_stripe_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("acme_directory_url", "acme_eab_kid", "acme_eab_hmac_key", "acme_email", "acme_ca_bundle",
                     mode="before")
    @classmethod
    def _blank_acme_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("acme_directory_url")
    @classmethod
    def _acme_directory(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = ACME_DIRECTORIES.get(value.strip().lower(), value.strip())
        if not value.startswith("https://") or " " in value or not value.split("://", 1)[1].split("/", 1)[0]:
            names = ", ".join(ACME_DIRECTORIES)
            raise ValueError(f"must be an https:// ACME directory URL or one of {names}, got {value!r}")
        return value

    @field_validator("acme_eab_hmac_key")
    @classmethod
    def _acme_hmac(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            text = value.get_secret_value().strip()
            if not re.fullmatch(r"[A-Za-z0-9_-]{16,}={0,2}", text):
                raise ValueError("must be the base64url HMAC key the CA gave with the key id")
            return SecretStr(text)
        return value

    @field_validator("acme_email")
    @classmethod
    def _acme_email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL_RE.match(value.strip()):
            raise ValueError(f"must be an e-mail address, got {value!r}")
        return value.strip() if value is not None else None

    @field_validator("acme_ca_bundle")
    @classmethod
    def _acme_ca_bundle(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        try:
            text = value.read_text(encoding="ascii", errors="replace")
        except OSError:
            raise ValueError(f"cannot read {str(value)!r}") from None
        if "-----BEGIN CERTIFICATE-----" not in text:
            raise ValueError(f"{str(value)!r} holds no PEM certificate")
        return value

    @field_validator("stripe_api_base")
    @classmethod
    def _stripe_api_base(cls, value: str) -> str:
        return _http_url(value, "STRIPE_API_BASE")

    @field_validator("stripe_success_url", "stripe_cancel_url")
    @classmethod
    def _stripe_return_url(cls, value: str | None) -> str | None:
        return None if value is None else _http_url(value, "STRIPE_SUCCESS_URL")

    @field_validator("staff_chat_id", mode="before")
    @classmethod
    def _blank_chat_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not TOKEN_RE.match(value.get_secret_value().strip()):
            raise ValueError("is malformed: expected <bot id>:<secret> as given by @BotFather")
        return SecretStr(value.get_secret_value().strip()) if value is not None else None

    @field_validator("telegram_api_base")
    @classmethod
    def _api_base(cls, value: str) -> str:
        return _http_url(value, "TELEGRAM_API_BASE")

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        return None if value is None else _http_url(value, "WEBHOOK_URL", https_only=False)

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET_RE.match(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value.strip())
        except ArgumentError:
            raise ValueError(f"is not a database URL: {value!r}") from None
        backend = url.get_backend_name()
        if backend not in ASYNC_DRIVERS:
            raise ValueError(f"backend {backend!r} is not supported (use sqlite or postgresql)")
        if "+" not in url.drivername:
            url = url.set(drivername=ASYNC_DRIVERS[backend])
        if url.drivername not in ASYNC_DRIVERS.values():
            raise ValueError(f"driver {url.drivername!r} is not async (use sqlite+aiosqlite or postgresql+asyncpg)")
        return url.render_as_string(hide_password=False)

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(f"must be a redis:// URL, got {value!r}")
        return value

    @field_validator("default_locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        locales = available_locales()
        if value not in locales:
            raise ValueError(f"unknown locale {value!r} (available: {', '.join(locales)})")
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        value = value.strip().upper()
        if value not in list_currencies():
            raise ValueError(f"{value!r} is not an ISO 4217 currency code")
        return value

    @field_validator("secret_key")
    @classmethod
    def _fernet_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            try:
                Fernet(value.get_secret_value().encode())
            except ValueError:
                raise ValueError("must be a Fernet key (32 url-safe base64-encoded bytes)") from None
        return value

    @field_validator("topup_presets")
    @classmethod
    def _presets(cls, value: str) -> str:
        try:
            amounts = [Decimal(part.strip()) for part in value.split(",") if part.strip()]
        except InvalidOperation:
            raise ValueError(f"must be amounts separated by commas, got {value!r}") from None
        if not amounts or any(a <= 0 for a in amounts):
            raise ValueError("must list at least one positive amount")
        return value

    @field_validator("reminder_days")
    @classmethod
    def _reminder_days(cls, value: str) -> str:
        try:
            days = [int(part) for part in value.split(",") if part.strip()]
        except ValueError:
            raise ValueError(f"must be whole numbers of days separated by commas, got {value!r}") from None
        if not days or any(not 0 <= d <= 365 for d in days):
            raise ValueError("must list at least one number of days from 0 to 365")
        return ",".join(str(d) for d in sorted(set(days), reverse=True))

    @field_validator("dns_resolvers")
    @classmethod
    def _dns_resolvers(cls, value: str) -> str:
        from domain.dcv import parse_resolvers

        try:
            parse_resolvers(value)
        except ValueError:
            raise ValueError(f"must be IP addresses (optionally :port) separated by commas, got {value!r}") from None
        return value
    @field_validator("ticket_departments")
    @classmethod
    def _departments(cls, value: str) -> str:
        names = [part.strip().lower() for part in value.split(",") if part.strip()]
        if not names or any(not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", n) for n in names):
            raise ValueError(f"must be department names (a-z, 0-9, _) separated by commas, got {value!r}")
        return ",".join(dict.fromkeys(names))

    @property
    def ticket_department_list(self) -> tuple[str, ...]:
        return tuple(self.ticket_departments.split(","))

    @property
    def reminder_thresholds(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.reminder_days.split(","))

    @model_validator(mode="after")
    def _payments(self) -> Settings:
        if self.payments_provider == "telegram-provider" and self.payment_provider_token is None \
                and self.bot_token is not None:
            raise ValueError("PAYMENT_PROVIDER_TOKEN is required when PAYMENTS_PROVIDER=telegram-provider")
        if self.stripe_secret_key is not None and self.stripe_webhook_secret is None:
            raise ValueError("STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY (cards arrive by webhook)")
        if self.topup_min > self.topup_max:
            raise ValueError("TOPUP_MIN is larger than TOPUP_MAX")
        self._acme_rules()
        return self

    def _acme_rules(self) -> None:
        if (self.acme_eab_kid is None) != (self.acme_eab_hmac_key is None):
            missing = "ACME_EAB_HMAC_KEY" if self.acme_eab_hmac_key is None else "ACME_EAB_KID"
            raise ValueError(f"{missing} is required with the other ACME_EAB_ setting (they come as a pair)")
        if self.ca_backend != "acme":
            return
        if self.acme_directory_url is None:
            raise ValueError("ACME_DIRECTORY_URL is required when CA_BACKEND=acme (e.g. letsencrypt)")
        host = self.acme_directory_url.split("://", 1)[1].split("/", 1)[0]
        if self.acme_eab_kid is None and host.endswith(ACME_EAB_REQUIRED):
            raise ValueError(f"ACME_EAB_KID is required: {host} registers accounts only with external account "
                             "binding (ACME_EAB_KID and ACME_EAB_HMAC_KEY from the CA's dashboard)")

    def minor(self, amount: Decimal) -> int:
        """An amount in the shop currency's major units as integer minor units."""
        return int((amount * 10 ** get_currency_precision(self.currency)).to_integral_value(ROUND_HALF_UP))

    @property
    def sandbox_mode(self) -> bool:
        """No token: the bot talks to a local sandbox instead of Telegram."""
        return self.bot_token is None

    @property
    def token(self) -> str:
        if self.bot_token is None:
            raise ConfigError("BOT_TOKEN", "is not set")
        return self.bot_token.get_secret_value()


def load_settings(**overrides: object) -> Settings:
    """Read settings; turn the first validation problem into a ConfigError naming the variable."""
    try:
        # Keyword values of any type: pydantic validates each as its field says.
        return Settings(**overrides)  # type: ignore[arg-type]  # typed `object` here, each field's type there
    except ValidationError as exc:
        first = exc.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        if first["loc"]:
            setting = str(first["loc"][0]).upper()
        elif message.split(" ", 1)[0].isupper():  # a rule across settings starts with the one to fix
            setting, _, message = message.partition(" ")
        else:
            setting = "settings"
        raise ConfigError(setting, message) from None


def secret_key_path(settings: Settings) -> Path:
    """SECRET_KEY_FILE; a key generated before that setting existed stays where it is (DATA_DIR/secret.key)."""
    legacy = settings.data_dir / "secret.key"
    if not settings.secret_key_file.exists() and legacy.exists():
        log.warning("the generated SECRET_KEY lies in %s beside the data; move it to %s (SECRET_KEY_FILE) and "
                    "back it up separately", legacy, settings.secret_key_file)
        return legacy
    return settings.secret_key_file


def resolve_secret_key(settings: Settings) -> tuple[bytes, bool]:
    """The encryption key for secrets at rest; generated into SECRET_KEY_FILE on first run.

    Returns the key and whether it was just generated (the caller warns: losing that file loses the secrets).
    """
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode(), False
    path = secret_key_path(settings)
    if path.exists():
        key = path.read_bytes().strip()
        try:
            Fernet(key)
        except ValueError:
            raise ConfigError("SECRET_KEY", f"the generated key in {path} is corrupt") from None
        return key, False
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    path.write_bytes(key)
    path.chmod(0o600)
    return key, True
