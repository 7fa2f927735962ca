"""Pebble, Let's Encrypt's test ACME server, started by the tests: a TLS certificate for 127.0.0.1 made here (Debian's
package ships none), a config with free ports, validation pointed at the tests' DNS server and HTTP server."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

BLOCKED = "blocked.example.com"
VALIDITY = 3600  # seconds: short-lived certificates, so renewal is due within a test


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tls_files(folder: Path) -> tuple[Path, Path, Path]:
    """A small CA and a certificate for 127.0.0.1 it signs: Pebble serves its API with it, the client trusts the CA."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Pebble listener test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
          .not_valid_after(now + timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    bundle, cert, private = folder / "listener-ca.pem", folder / "listener.pem", folder / "listener.key"
    bundle.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return bundle, cert, private


@dataclass
class Pebble:
    process: subprocess.Popen[bytes]
    directory_url: str
    management_url: str
    ca_bundle: str
    log: Path

    def management(self, path: str) -> requests.Response:
        return requests.get(f"{self.management_url}{path}", verify=self.ca_bundle, timeout=10)

    def roots(self) -> tuple[x509.Certificate, x509.Certificate]:
        """Pebble's root and intermediate (made anew at each start)."""
        root = x509.load_pem_x509_certificate(self.management("/roots/0").content)
        intermediate = x509.load_pem_x509_certificate(self.management("/intermediates/0").content)
        return root, intermediate

    def status(self, serial: str) -> str:
        return str(self.management(f"/cert-status-by-serial/{serial}").json()["Status"])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_pebble(folder: Path, dns_port: int, http_port: int, eab_keys: dict[str, str] | None = None) -> Pebble:
    """Pebble on free ports; with `eab_keys` (key id -> base64url HMAC key) it registers accounts only with
    external account binding."""
    binary = shutil.which("pebble")
    assert binary is not None
    bundle, cert, key = _tls_files(folder)
    listen, management = free_port(), free_port()
    config = folder / "pebble-config.json"
    config.write_text(json.dumps({"pebble": {
        "listenAddress": f"127.0.0.1:{listen}", "managementListenAddress": f"127.0.0.1:{management}",
        "certificate": str(cert), "privateKey": str(key), "httpPort": http_port, "tlsPort": free_port(),
        "ocspResponderURL": "", "externalAccountBindingRequired": bool(eab_keys),
        "externalAccountMACKeys": eab_keys or {}, "domainBlocklist": [BLOCKED],
        "certificateValidityPeriod": VALIDITY}}))
    # No sleep before validating; always reuse a name validated earlier by the same account (Pebble does half the
    # time by default), so a renewal is signed without the customer. Pebble's random refusal of good nonces stays.
    env = {**os.environ, "PEBBLE_VA_NOSLEEP": "1", "PEBBLE_AUTHZREUSE": "100"}
    env.pop("PEBBLE_VA_ALWAYS_VALID", None)
    log = folder / "pebble.log"
    with log.open("wb") as out:
        process = subprocess.Popen([binary, "-config", str(config), "-dnsserver", f"127.0.0.1:{dns_port}"],
                                   stdout=out, stderr=subprocess.STDOUT, env=env)
    pebble = Pebble(process, f"https://127.0.0.1:{listen}/dir", f"https://127.0.0.1:{management}", str(bundle), log)
    deadline = time.monotonic() + 20
    while True:
        try:
            if requests.get(pebble.directory_url, verify=str(bundle), timeout=2).ok:
                return pebble
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pebble.stop()
            raise RuntimeError(f"Pebble did not start: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.1)
