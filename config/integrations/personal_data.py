"""Keys for personal values at rest (core.crypto): one to encrypt, one for the blind index."""

from config.env import env, required
from core.crypto import parse_keys

__all__ = ["BLIND_INDEX_KEY", "PERSONAL_DATA_KEYS"]

_NEW_KEY = '`python -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"`'

# `id:base64,id:base64`: new values are written with the first; the others stay readable
# until `manage.py rotate_personal_data_key` has rewritten every value with the first.
PERSONAL_DATA_KEYS = required(
    "PERSONAL_DATA_KEYS",
    remedy=f"set an id and a 32-byte key in base64, e.g. k1:<output of {_NEW_KEY}>",
    dev_default="dev1:ZGV2ZWxvcG1lbnQtb25seS1ub3QtYS1zZWNyZXQtMzI=",
)
# A key of its own: exact lookups of BSN, KvK-nummer and e-mail address go through its HMAC.
BLIND_INDEX_KEY = required(
    "BLIND_INDEX_KEY",
    remedy=f"set a 32-byte key in base64 (not the same as in PERSONAL_DATA_KEYS): {_NEW_KEY}",
    dev_default="ZGV2ZWxvcG1lbnQtYmxpbmQtaW5kZXgtbm90LXNlY3I=",
)

for _name, _raw in (
    ("PERSONAL_DATA_KEYS", PERSONAL_DATA_KEYS),
    ("BLIND_INDEX_KEY", BLIND_INDEX_KEY),
):
    if not _raw:
        continue  # noted as missing by required()
    try:
        parse_keys(_raw if _name == "PERSONAL_DATA_KEYS" else f"i:{_raw}")
    except ValueError as problem:
        env.note(_name, "cannot be read", f"{problem}; set it as in .env.example.")
if PERSONAL_DATA_KEYS and BLIND_INDEX_KEY and BLIND_INDEX_KEY in PERSONAL_DATA_KEYS:
    env.note(
        "BLIND_INDEX_KEY", "is also an encryption key", "give the blind index a key of its own."
    )
