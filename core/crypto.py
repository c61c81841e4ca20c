"""Personal values encrypted at rest, and a keyed blind index to find them without decrypting.

A stored value reads `pd1$<key id>$<base64url(nonce + ciphertext)>`: AES-256-GCM from the
`cryptography` package, with the place the value belongs (for example
"profiles.ContactDetail.value") as associated data, so a ciphertext copied into another column or
table does not decrypt. The key id beside the ciphertext lets a key be rotated while the old one
stays readable (`manage.py rotate_personal_data_key`).

The blind index is an HMAC-SHA256 with a key of its own: a database dump holding it cannot
confirm a guessed BSN without that key, and the encryption key leaking does not give it either.

Keys come from settings (PERSONAL_DATA_KEYS, BLIND_INDEX_KEY, read from the environment).
An empty value is stored as it is: an empty field says nothing personal, and constraints such as
"a Dutch address has a postcode" keep working.
"""

import base64
import binascii
import hashlib
import hmac
import json
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "pd1"
NONCE_BYTES = 12


class KeyMissing(Exception):
    """A stored value names a key this process does not have."""


class ValueDamaged(Exception):
    """A stored value does not decrypt with its key: changed, or moved from another place."""


def parse_keys(raw: str) -> dict[str, bytes]:
    """`id:base64key,id:base64key` to {id: key}; the first is the key new values are written with.

    Raises ValueError with a sentence an operator can act on.
    """
    keys: dict[str, bytes] = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        key_id, sep, encoded = item.partition(":")
        if not sep or not key_id.isalnum():
            raise ValueError("each key is written as id:base64, the id letters and digits only")
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise ValueError(f"key {key_id!r} is not valid base64") from None
        if len(key) != 32:
            raise ValueError(f"key {key_id!r} is not 32 bytes (256 bits)")
        if key_id in keys:
            raise ValueError(f"key id {key_id!r} appears twice")
        keys[key_id] = key
    if not keys:
        raise ValueError("no key given")
    return keys


def new_key() -> str:
    """A fresh random key in the form the settings read."""
    return base64.b64encode(os.urandom(32)).decode()


@lru_cache(maxsize=8)
def _ciphers(raw: str) -> tuple[str, dict[str, AESGCM]]:
    keys = parse_keys(raw)
    return next(iter(keys)), {key_id: AESGCM(key) for key_id, key in keys.items()}


def current_key_id() -> str:
    return _ciphers(settings.PERSONAL_DATA_KEYS)[0]


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX + "$")


def key_id_of(stored: str) -> str:
    return stored.split("$", 2)[1] if is_sealed(stored) else ""


def seal(value: str, *, place: str) -> str:
    """Encrypt `value` for storage in `place`; empty stays empty."""
    if not value:
        return value
    key_id, ciphers = _ciphers(settings.PERSONAL_DATA_KEYS)
    nonce = os.urandom(NONCE_BYTES)
    sealed = ciphers[key_id].encrypt(nonce, value.encode(), place.encode())
    return f"{PREFIX}${key_id}${base64.urlsafe_b64encode(nonce + sealed).decode()}"


def reveal(stored: str, *, place: str) -> str:
    """The value `seal` was given. A value from before encryption (no prefix) passes through, so
    the migration that encrypts existing rows can read them."""
    if not stored or not is_sealed(stored):
        return stored
    _prefix, key_id, body = stored.split("$", 2)
    ciphers = _ciphers(settings.PERSONAL_DATA_KEYS)[1]
    if key_id not in ciphers:
        raise KeyMissing(f"personal data key {key_id!r} is not in PERSONAL_DATA_KEYS")
    try:
        raw = base64.urlsafe_b64decode(body)
        return (
            ciphers[key_id].decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], place.encode()).decode()
        )
    except (InvalidTag, binascii.Error, ValueError):
        raise ValueDamaged(f"a stored value for {place} does not decrypt") from None


@lru_cache(maxsize=4)
def _index_key(raw: str) -> bytes:
    return parse_keys(f"i:{raw}")["i"]


def blind_index(*parts: str, purpose: str) -> str:
    """A keyed, deterministic fingerprint of `parts` for exact lookups (hex, 64 characters).

    `purpose` keeps fingerprints of the same number for different lookups apart.
    """
    message = "\x1f".join((purpose, *parts)).encode()
    return hmac.new(_index_key(settings.BLIND_INDEX_KEY), message, hashlib.sha256).hexdigest()


AUDIT_PLACE = "auditlog.LogEntry.changes"


def seal_for_audit(value: str) -> str:
    """django-auditlog's mask_callable: the trail keeps old and new values, encrypted."""
    return seal(value, place=AUDIT_PLACE)


def reveal_from_audit(stored) -> str:
    return reveal(stored, place=AUDIT_PLACE) if isinstance(stored, str) else stored


class SealedSessionSerializer:
    """SESSION_SERIALIZER: the session as JSON, encrypted before Django signs and stores it.

    The session holds the broker's ID token (with the BSN or KvK-nummer), the acting person and
    the answers of a change in progress; in the database or the cache it is ciphertext.
    A session sealed with a key that is no longer configured reads as empty: logged out.
    """

    place = "django.contrib.sessions"

    def dumps(self, obj) -> bytes:
        return seal(json.dumps(obj, separators=(",", ":")), place=self.place).encode("latin-1")

    def loads(self, data: bytes):
        return json.loads(reveal(data.decode("latin-1"), place=self.place))
