"""What every request body schema of the organisation API shares.

PostgreSQL cannot store a NUL character, so a text holding one would fail deep inside a write.
A body schema refuses it per field, so the caller gets 400 with the field in invalidParams.
Fields the schema does not know are ignored, NUL or not. The OpenAPI document says the same
with a pattern on every such text (config/api_openapi.py).
"""

from ninja import Schema
from pydantic import field_validator

NUL_REFUSED = "may not contain a NUL character (\\u0000)"


class RequestSchema(Schema):
    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(NUL_REFUSED)
        return value
