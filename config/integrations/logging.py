"""JSON-line logs on stdout, each line carrying the id of the request it belongs to."""

import json
import logging
from datetime import UTC, datetime

from core.request_context import current_request_id

# Attributes every LogRecord has; anything else was passed through `extra=` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
# Written once per request at INFO: the sets and types are made once, not per line.
_NOT_EXTRA = frozenset(_STANDARD | {"request", "request_id"})
_PLAIN = (str, int, float, bool)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        for key, value in vars(record).items():
            if key not in _NOT_EXTRA and key[0] != "_":
                line[key] = value if isinstance(value, _PLAIN) else str(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


_base_record_factory = logging.getLogRecordFactory()


def _record_with_request_id(*args, **kwargs) -> logging.LogRecord:
    # Stamped when the record is made, i.e. inside the request, whichever handler formats it.
    record = _base_record_factory(*args, **kwargs)
    record.request_id = current_request_id()
    return record


def logging_config(*, level: str) -> dict:
    logging.setLogRecordFactory(_record_with_request_id)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            "django": {"handlers": ["stdout"], "level": level, "propagate": False},
            # Django logs every 4xx as a warning; the request log below says it once.
            "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
            "django.server": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        },
    }
