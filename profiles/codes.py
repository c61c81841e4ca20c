"""Verification codes: made in the worker, only their salted hash stored, checked in constant time.

A leaf module: the services that ask for a code and the task that sends it both use it.
"""

import secrets
from datetime import timedelta

from django.utils.crypto import constant_time_compare, salted_hmac

from profiles.models import Verification

CODE_VALID_FOR = timedelta(minutes=15)
MAX_WRONG_TRIES = 5
MAX_CODES = 3
CODES_WINDOW = timedelta(minutes=15)


def _hash_code(code: str, salt: str) -> str:
    return salted_hmac("profiles.verification", f"{salt}:{code}", algorithm="sha256").hexdigest()


def verification_code_issue(*, verification: Verification) -> str:
    """Make a fresh 6-digit code, store only its salted hash, and return it for sending."""
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(16)
    verification.code_hash = f"{salt}${_hash_code(code, salt)}"
    verification.save(update_fields=["code_hash"])
    return code


def code_matches(verification: Verification, code: str) -> bool:
    salt, _, digest = verification.code_hash.partition("$")
    return bool(digest) and constant_time_compare(_hash_code(code, salt), digest)
