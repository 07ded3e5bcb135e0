"""The secret keys that sign the audit trail and its anchors, kept outside the database.

The current key signs new entries; entries carry the id of the key that signed them, so after a
rotation the old entries still verify with the old key listed in AUDIT_KEY_FALLBACKS.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Distinct from every other use of SECRET_KEY (sessions, signing), so the derived key is the trail's alone.
DERIVATION_SALT = b"masar.audit.chain-key.v1"
MIN_KEY_LENGTH = 32


@functools.lru_cache(maxsize=4)
def _read_key_file(path: str) -> str:
    # Read once per process, not once per entry: a new key takes effect when the servers restart.
    try:
        key = Path(path).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ImproperlyConfigured(f"AUDIT_KEY_FILE {path!r} cannot be read: {error}") from None
    if not key:
        raise ImproperlyConfigured(f"AUDIT_KEY_FILE {path!r} is empty")
    return key


def _explicit_key() -> str:
    path = getattr(settings, "AUDIT_KEY_FILE", "")
    return _read_key_file(path) if path else getattr(settings, "AUDIT_KEY", "")


def _checked(key: str, name: str) -> bytes:
    if len(key) < MIN_KEY_LENGTH:
        raise ImproperlyConfigured(f"{name} must be at least {MIN_KEY_LENGTH} characters long")
    return key.encode("utf-8")


def derive_from_secret(secret_key: str) -> bytes:
    """Return the trail's key derived from a SECRET_KEY (the default when no AUDIT_KEY is set)."""
    return hmac.new(secret_key.encode("utf-8"), DERIVATION_SALT, hashlib.sha256).hexdigest().encode("ascii")


def key_id(key: bytes) -> str:
    """Return a short public name for a key: the same key always has the same id, and the id reveals nothing of it."""
    return hashlib.sha256(b"masar.audit.key-id:" + key).hexdigest()[:12]


def current_key() -> tuple[str, bytes]:
    """Return (id, key) of the key that signs new entries and anchors."""
    explicit = _explicit_key()
    key = _checked(explicit, "AUDIT_KEY") if explicit else derive_from_secret(settings.SECRET_KEY)
    return key_id(key), key


def all_keys() -> dict[str, bytes]:
    """Return every key that may have signed an entry, by id: the current one and the fallbacks."""
    current_id, current = current_key()
    keys = {current_id: current}
    for number, fallback in enumerate(getattr(settings, "AUDIT_KEY_FALLBACKS", ()), start=1):
        key = _checked(fallback, f"AUDIT_KEY_FALLBACKS item {number}")
        keys.setdefault(key_id(key), key)
    # A trail signed with keys derived from SECRET_KEY keeps verifying while the old SECRET_KEY is a fallback.
    for secret in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())):
        key = derive_from_secret(secret)
        keys.setdefault(key_id(key), key)
    return keys


def sign(key: bytes, payload: str) -> str:
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()
