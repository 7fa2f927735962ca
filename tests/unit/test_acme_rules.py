"""ACME without a CA: the values a customer publishes agree with the acme library's, problem documents become the
right errors, polls back off, and the ACME settings refuse what cannot work with one line naming the setting."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import josepy as jose
import pytest
from acme import challenges, messages
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from bot.config import ConfigError, load_settings
from domain.acme.client import _problem
from domain.acme.errors import AcmeError, CaaForbids, RateLimited, RejectedIdentifier, problem_error
from domain.acme.orders import MAX_BACKOFF, backoff
from domain.acme.port import Problem, dns_name, dns_value, http_url, key_authorization, thumbprint


def test_published_values_are_the_ones_the_acme_library_expects() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    account = jose.JWKEC(key=key)
    token = b"evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"
    encoded = jose.b64encode(token).decode()
    thumb = thumbprint(pem)
    assert dns_value(encoded, thumb) == challenges.DNS01(token=token).validation(account)
    assert key_authorization(encoded, thumb) == challenges.HTTP01(token=token).validation(account)
    assert dns_name("*.example.com") == "_acme-challenge.example.com"
    assert http_url("www.example.com", encoded) == f"http://www.example.com/.well-known/acme-challenge/{encoded}"


def test_problem_documents_become_typed_errors_with_the_name() -> None:
    prefix = "urn:ietf:params:acme:error:"
    limited = problem_error(_problem(messages.Error(typ=prefix + "rateLimited", detail="too many")))
    assert isinstance(limited, RateLimited) and limited.message_id == "acme-error-rate-limited"
    compound = messages.Error(typ=prefix + "compound", subproblems=(messages.Error(
        typ=prefix + "caa", detail="CAA forbids", identifier=messages.Identifier(typ=messages.IDENTIFIER_FQDN,
                                                                                 value="shop.example.com")),))
    caa = problem_error(_problem(compound))
    assert isinstance(caa, CaaForbids) and caa.args_ == {"name": "shop.example.com"} and caa.detail == "CAA forbids"
    assert isinstance(problem_error(Problem("unsupportedIdentifier")), RejectedIdentifier)
    codes = {"dns": "acme-error-dns", "connection": "acme-error-connection", "unauthorized": "acme-error-unauthorized",
             "badCSR": "acme-error-bad-csr", "serverInternal": "acme-error-server", "badNonce": "acme-error-server",
             "externalAccountRequired": "acme-error-account", "somethingNew": "acme-error-other"}
    assert {code: problem_error(Problem(code)).message_id for code in codes} == codes
    assert type(problem_error(Problem("somethingNew"))) is AcmeError


def test_polls_back_off_up_to_a_limit() -> None:
    assert [backoff(n).total_seconds() for n in range(5)] == [1, 2, 4, 8, 16]
    assert backoff(30) == MAX_BACKOFF == timedelta(minutes=10)


@pytest.mark.parametrize(("settings", "line"), [
    ({"ca_backend": "acme"}, "ACME_DIRECTORY_URL: is required when CA_BACKEND=acme"),
    ({"ca_backend": "acme", "acme_directory_url": "http://acme.example.com/dir"}, "ACME_DIRECTORY_URL: must be"),
    ({"ca_backend": "acme", "acme_directory_url": "google"}, "ACME_EAB_KID: is required"),
    ({"acme_eab_kid": "kid-1"}, "ACME_EAB_HMAC_KEY: is required"),
    ({"acme_eab_kid": "kid-1", "acme_eab_hmac_key": "not base64!"}, "ACME_EAB_HMAC_KEY: must be"),
    ({"acme_email": "nobody"}, "ACME_EMAIL: must be an e-mail address"),
    ({"acme_ca_bundle": "/nonexistent/ca.pem"}, "ACME_CA_BUNDLE: cannot read"),
])
def test_acme_settings_that_cannot_work_stop_startup_naming_the_setting(settings, line) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(_env_file=None, **settings)
    assert str(refused.value).startswith(line) and "\n" not in str(refused.value)


def test_a_well_known_ca_can_be_named(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    settings = load_settings(_env_file=None, ca_backend="acme", acme_directory_url="letsencrypt-staging",
                             acme_email="ops@vendor.example.com", acme_ca_bundle=str(bundle))
    assert settings.acme_directory_url == "https://acme-staging-v02.api.letsencrypt.org/directory"
    from bot.certificates import acme_client

    client = acme_client(settings)
    assert (client.name, client.trusted, client.methods) == ("letsencrypt-staging", False, ("dns", "http"))
    zerossl = load_settings(_env_file=None, ca_backend="acme", acme_directory_url="zerossl", acme_eab_kid="kid",
                            acme_eab_hmac_key="c2VjcmV0LWhtYWMta2V5LWZyb20tdGhlLWNh")
    assert acme_client(zerossl).name == "zerossl" and acme_client(zerossl).trusted
