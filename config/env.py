"""The one environment reader that settings and the integration modules share.

Reading a setting never stops the import. A value that is missing or does not parse is noted
here as a problem, and the setting gets a stand-in that serves nothing (an empty key, a dummy
database), so every problem is known at once. The entry points that start the portal
(manage.py, config/wsgi.py, config/asgi.py, config/gunicorn.py) refuse to go on while there is
one, with one message that lists them all (config/startup.py); `manage.py check_settings` prints
the same message and starts nothing.
"""

from dataclasses import dataclass
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = frozenset(environ.Env.BOOLEAN_TRUE_STRINGS)
FALSE_WORDS = frozenset({"false", "off", "no", "n", "0", ""})


@dataclass(frozen=True)
class SettingProblem:
    name: str
    problem: str  # "is not set", "is 'maybe'"
    remedy: str  # what to set; ends with the development or alternative value, if any

    def __str__(self) -> str:
        return f"{self.name} {self.problem}: {self.remedy}"


class PortalEnv(environ.Env):
    """environ.Env that remembers which names were read and notes values that do not parse."""

    def __init__(self, **scheme):
        super().__init__(**scheme)
        self.names_read: set[str] = set()
        self.problems: dict[str, SettingProblem] = {}

    def note(self, name: str, problem: str, remedy: str) -> None:
        self.problems.setdefault(name, SettingProblem(name, problem, remedy))

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        self.names_read.add(var)
        raw = self.ENVIRON.get(var)
        if cast is bool and raw is not None and raw.strip().lower() not in TRUE_WORDS | FALSE_WORDS:
            # environ reads any unknown word as False; a typo must not switch a setting off.
            self.note(var, f"is {raw!r}", "set true or false.")
            return None if default is self.NOTSET else default
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except (ValueError, ImproperlyConfigured):
            kind = {int: "a whole number", float: "a number"}.get(cast, "a valid value")
            if raw is None:  # asked for without a default
                self.note(var, "is not set", f"set {kind}.")
                return None
            self.note(var, f"is {raw!r}", f"set {kind}, or leave it out for the default.")
            return None if default is self.NOTSET else default


env = PortalEnv()
if env.bool("DJANGO_READ_DOT_ENV", default=False):
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def required(name: str, *, remedy: str, dev_default: str = "", alternative: str = "") -> str:
    """Read a value production must set; only development (DEBUG) may fall back to a default.

    Missing, it is noted as a problem (with `remedy` and the `alternative`, if there is one) and
    read as "", which no code may use: the entry points stop before anything runs.
    """
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG and dev_default:
        return dev_default
    env.note(name, "is not set", f"{remedy}{f'; or {alternative}' if alternative else ''}.")
    return ""


def one_of(name: str, choices: tuple[str, ...], *, default: str) -> str:
    """Read a value that must be one of `choices`; another value is noted as a problem."""
    value = env.str(name, default=default)
    if value in choices:
        return value
    env.note(name, f"is {value!r}", f"set one of {', '.join(choices)}.")
    return default


def parsed(name: str, value: str, parse, *, example: str, stand_in):
    """Parse a URL-like value (database, mail, cache); one that does not parse is a problem."""
    if not value:
        return stand_in
    try:
        return parse(value)
    except (ValueError, KeyError, ImproperlyConfigured):
        env.note(name, "cannot be read", f"set a URL like {example}.")
        return stand_in
