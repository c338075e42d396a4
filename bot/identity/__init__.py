"""Who acts: linked personal SeekrFlow keys (encrypted), operators of the team key, the audit."""

from .audit import Audit, AuditAction, AuditEntry, Outcome
from .crypto import Cipher, EncryptionUnavailable, UndecryptableSecret, generate_key, parse_keys
from .keystore import KeyStore, LinkedKey, RotationResult
from .operators import Operators

__all__ = [
    "Audit",
    "AuditAction",
    "AuditEntry",
    "Outcome",
    "Cipher",
    "EncryptionUnavailable",
    "UndecryptableSecret",
    "generate_key",
    "parse_keys",
    "KeyStore",
    "LinkedKey",
    "RotationResult",
    "Operators",
]
