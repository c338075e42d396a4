"""Encryption at rest for linked SeekrFlow keys: MultiFernet from ``BOT_ENCRYPTION_KEY``.

``BOT_ENCRYPTION_KEY`` is one or more Fernet keys separated by commas. The
first key encrypts; every key decrypts. To rotate, put a new key in front and
keep the old ones until ``python -m bot rotate-keys`` has re-encrypted what is
stored; then the old keys can be dropped.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr

from bot.settings import parse_fernet_keys

NO_ENCRYPTION_KEY = (
    "this bot cannot keep personal SeekrFlow keys: its administrator has not set "
    "BOT_ENCRYPTION_KEY, and keys are never stored unencrypted"
)


class EncryptionUnavailable(Exception):
    """BOT_ENCRYPTION_KEY is not set, so nothing secret may be stored."""

    def __init__(self, message: str = NO_ENCRYPTION_KEY):
        super().__init__(message)


class UndecryptableSecret(Exception):
    """A stored value was encrypted with a key that BOT_ENCRYPTION_KEY no longer holds."""


def build_cipher(secret: SecretStr | str | None) -> MultiFernet | None:
    """The MultiFernet for ``BOT_ENCRYPTION_KEY``, or None when it is unset."""
    if secret is None:
        return None
    raw = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
    if not raw.strip():
        return None
    return MultiFernet([Fernet(k) for k in parse_fernet_keys(raw)])


def generate_key() -> str:
    return Fernet.generate_key().decode()


class Cipher:
    """Encrypts and decrypts small secrets; raises EncryptionUnavailable without a key."""

    def __init__(self, secret: SecretStr | str | None):
        self._fernet = build_cipher(secret)

    @property
    def available(self) -> bool:
        return self._fernet is not None

    def _require(self) -> MultiFernet:
        if self._fernet is None:
            raise EncryptionUnavailable()
        return self._fernet

    def encrypt(self, plaintext: bytes) -> str:
        return self._require().encrypt(plaintext).decode()

    def decrypt(self, token: str | bytes) -> bytes:
        try:
            return self._require().decrypt(token)
        except InvalidToken:
            raise UndecryptableSecret(
                "a stored key cannot be decrypted with BOT_ENCRYPTION_KEY "
                "(was an old encryption key removed too early?)"
            ) from None

    def rotate(self, token: str | bytes) -> str:
        """Re-encrypt ``token`` under the first key (MultiFernet.rotate)."""
        try:
            return self._require().rotate(token).decode()
        except InvalidToken:
            raise UndecryptableSecret("a stored key cannot be decrypted for rotation") from None

    def __repr__(self) -> str:
        return f"Cipher(available={self.available})"
