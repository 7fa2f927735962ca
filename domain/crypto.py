"""Encryption of secrets at rest (TOTP secrets, private keys, payment tokens) with a Fernet key."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from domain.errors import DomainError


class SecretUnreadable(DomainError):
    """Stored ciphertext that the configured key cannot open: the key was changed or lost."""

    message_id = "error-secret-unreadable"


class Cipher:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def encrypt(self, plain: str | bytes) -> bytes:
        data = plain.encode() if isinstance(plain, str) else plain
        return self._fernet.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            raise SecretUnreadable() from None

    def decrypt_text(self, token: bytes) -> str:
        return self.decrypt(token).decode()

    @classmethod
    def generate(cls) -> Cipher:
        """A throwaway key, for tests."""
        return cls(Fernet.generate_key())
