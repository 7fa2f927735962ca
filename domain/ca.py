"""The certificate-authority port, and the local test CA shipped for the sandbox and the tests.

A CA adapter gets a checked CSR and the names already validated, and returns the leaf certificate with the
intermediates that chain it to the CA's root. A real CA replaces `LocalTestCA` in the composition root (CA_BACKEND):
a reseller API through this port, an ACME CA through domain/acme/port.py; the domain only sees the ports.

The local test CA signs with its own root whose subject says "Client Area Bot TEST CA - NOT TRUSTED": no browser
trusts it, which is the point. Its root and intermediate keys are made once and kept in the data folder,
encrypted with the secrets key.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from domain.crypto import Cipher

TEST_ROOT_NAME = "Client Area Bot TEST CA - NOT TRUSTED"
TEST_INTERMEDIATE_NAME = "Client Area Bot TEST Issuing CA - NOT TRUSTED"
MAX_VALIDITY = timedelta(days=397)
BACKDATE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Issued:
    """A certificate as the CA hands it over: PEM texts, the leaf first, then its chain up to the root."""

    certificate: str
    intermediates: list[str]
    root: str
    serial: str
    not_before: datetime
    not_after: datetime


class CertificateAuthority(Protocol):
    """A CA that signs names the bot validated itself (domain/dcv.py). An ACME CA validates names on its own and
    has a port of its own (domain/acme/port.py)."""

    name: str
    trusted: bool
    methods: tuple[str, ...]  # the validation methods a customer may choose

    async def issue(self, csr_pem: str, names: list[str], now: datetime, not_after: datetime) -> Issued:
        """Sign the CSR's key for `names` (already validated), valid from `now` until at most `not_after`."""
        ...

    async def email_approved(self, names: list[str], approver: str) -> bool:
        """Whether the approver confirmed the CA's validation e-mail for `names` (the CA sends the mail)."""
        ...


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Client Area Bot (test)"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _ca_certificate(subject: x509.Name, key: ec.EllipticCurvePrivateKey, issuer: x509.Certificate | None,
                    issuer_key: ec.EllipticCurvePrivateKey, now: datetime, years: int,
                    path_length: int) -> x509.Certificate:
    public = key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer is not None else subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
    )
    authority = issuer.public_key() if issuer is not None else public
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(authority), critical=False)  # type: ignore[arg-type]  # EC/RSA
    return builder.sign(issuer_key, hashes.SHA256())


class LocalTestCA:
    """A two-level test PKI (root -> issuing CA -> leaf). Not trusted anywhere; never used when a real CA is
    configured."""

    name = "test"
    trusted = False
    methods: tuple[str, ...] = ("dns", "http", "email")

    def __init__(self, root: x509.Certificate, intermediate: x509.Certificate,
                 intermediate_key: ec.EllipticCurvePrivateKey) -> None:
        self.root = root
        self.intermediate = intermediate
        self._key = intermediate_key

    @classmethod
    def generate(cls, now: datetime) -> tuple[LocalTestCA, ec.EllipticCurvePrivateKey]:
        root_key = ec.generate_private_key(ec.SECP256R1())
        root = _ca_certificate(_name(TEST_ROOT_NAME), root_key, None, root_key, now, 20, 1)
        key = ec.generate_private_key(ec.SECP256R1())
        intermediate = _ca_certificate(_name(TEST_INTERMEDIATE_NAME), key, root, root_key, now, 10, 0)
        return cls(root, intermediate, key), root_key

    @classmethod
    def load_or_create(cls, folder: Path, cipher: Cipher, now: datetime) -> LocalTestCA:
        """The test CA kept in `folder` (certificates in PEM, the issuing key encrypted); made on first use. The
        root's key is not kept: nothing but the issuing CA ever signs again."""
        root_path, inter_path, key_path = folder / "root.crt", folder / "issuing.crt", folder / "issuing.key.enc"
        if root_path.exists() and inter_path.exists() and key_path.exists():
            key = serialization.load_pem_private_key(cipher.decrypt(key_path.read_bytes()), None)
            assert isinstance(key, ec.EllipticCurvePrivateKey)
            return cls(x509.load_pem_x509_certificate(root_path.read_bytes()),
                       x509.load_pem_x509_certificate(inter_path.read_bytes()), key)
        ca, _ = cls.generate(now)
        folder.mkdir(parents=True, exist_ok=True)
        root_path.write_text(_pem(ca.root))
        inter_path.write_text(_pem(ca.intermediate))
        key_path.write_bytes(cipher.encrypt(ca._key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())))
        key_path.chmod(0o600)
        return ca

    async def email_approved(self, names: list[str], approver: str) -> bool:
        """The test CA sends no mail: it plays an approver who confirms at once."""
        return bool(approver)

    async def issue(self, csr_pem: str, names: list[str], now: datetime, not_after: datetime) -> Issued:
        csr = x509.load_pem_x509_csr(csr_pem.encode())
        public = csr.public_key()
        not_after = min(not_after, now + MAX_VALIDITY)
        serial = int.from_bytes(secrets.token_bytes(16), "big") >> 1
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(self.intermediate.subject)
            .public_key(public)
            .serial_number(serial)
            .not_valid_before(now - BACKDATE)
            .not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                         key_encipherment=not isinstance(public, ec.EllipticCurvePublicKey),
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                self.intermediate.public_key()), critical=False)  # type: ignore[arg-type]  # our own EC key
            .sign(self._key, hashes.SHA256())
        )
        return Issued(_pem(cert), [_pem(self.intermediate)], _pem(self.root), format(serial, "x"),
                      cert.not_valid_before_utc, cert.not_valid_after_utc)
