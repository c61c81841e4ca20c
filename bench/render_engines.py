"""Rendering the inbox (/berichten) with Django's templates and with Jinja2 (issue 17).

    python bench/render_engines.py                        # best of 5 rounds x 200 renders
    python bench/render_engines.py --rounds 9 --renders 500
    python bench/render_engines.py --show-diff            # print both pages' differences

What it measures: CPU time (``time.process_time``, one process) of rendering one page, what
``render(request, "notifications/inbox.html", context)`` does once the view has its data: the
template looked up, the context processors run, the page and its includes rendered. No
database, no middleware, no view: the messages, the filter form and the page object are
built in memory the way the view builds them (a person logged in, 10 unread, three
organisations, Dutch), so both engines get exactly the same objects and the figure is the
template engine's share alone. ``bench/pages_cpu.py`` gives a whole request, for comparison.

(a) **django**: the portal's own templates (templates/notifications/inbox.html with base.html
and its includes), through the portal's Django template engine as configured in settings
(cached loader, the portal's context processors, ``{% shared_include %}``).
(b) **jinja2**: a translation of exactly that page and its includes into Jinja2, in
bench/render_engines/jinja2/ (a measurement fixture: the portal does not use it), rendered by
Django's own Jinja2 backend (``django.template.backends.jinja2.Jinja2``) with the same context
processors and an environment (``environment`` below) that gives ``url``, ``static``, ``_``
(Django's translations, ``install_gettext_translations``), ``csrf_input`` (the backend's),
Django's date formatting as a ``date`` filter, and the same once-per-language
``shared_include`` for the head, the brand and the footer. The components that take
parameters (field, button, pagination) are macros: Jinja2's include takes none. The form's
widget (``{{ field }}``) is rendered by Django's form renderer in both, as the portal
configures it.

Cases, each rendered by both engines in turn, round after round:
- ``30 of 30``: 30 messages, shown on one page (30 rows, no pagination);
- ``25 of 30``: 30 messages as the portal pages them (25 per page: 25 rows and pagination);
- ``1 of 1``: one message (one row); ``0``: no messages (no form, no table: the layout).
The cost of a row is (30 rows - 1 row) / 29; the fixed cost is what ``0`` costs.

Before timing, the two outputs of every case are compared after normalising white space (runs
of it to one space) and the CSRF tokens' masks; any difference stops the benchmark. Then, for
scale, the work both engines leave to the same Django code: per row a ``reverse()`` and two
dates formatted, per page the filter form's widget, per form a CSRF mask (Django's engine masks
the token once per page; ``csrf_input`` of the Jinja2 backend masks it again for each of the
page's four forms).
"""

import argparse
import difflib
import os
import re
import secrets
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

JINJA2_TEMPLATES = BENCH / "render_engines" / "jinja2"
PAGE = "notifications/inbox.html"
ORGANISATIONS = ("Gemeente Benchdorp", "Provincie Bench", "Waterschap Bench")
UNREAD = 10


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=200, help="renders per round and case")
    parser.add_argument("--rounds", type=int, default=5, help="the best round counts")
    parser.add_argument("--show-diff", action="store_true", help="print both outputs' diff")
    return parser.parse_args(argv)


def settings_env() -> dict[str, str]:
    """The production settings of bench/pages_cpu.py, without a database: rendering needs none
    (a query would fail on the empty in-memory SQLite and show that something was not loaded)."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_READ_DOT_ENV": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": "sqlite://:memory:",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "false",
        "SITE_URL": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "DJANGO_STATIC_ROOT": tempfile.mkdtemp(prefix="bench-render-static-"),
    }


# --- the Jinja2 environment (OPTIONS["environment"] of the backend) ---------------------------


def environment(**options):
    import jinja2
    from django.templatetags.static import static
    from django.urls import reverse
    from django.utils import formats, translation
    from django.utils.safestring import SafeString
    from django.utils.timezone import template_localtime

    from config.css import minified
    from consent import organisation_text

    options.setdefault("keep_trailing_newline", True)  # as Django templates do
    # Django's backend puts autoescape=True in the options.
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701
    env.install_gettext_translations(translation, newstyle=True)
    kept: dict[tuple[str, str | None], SafeString] = {}

    def url(name, *args, **kwargs):
        return reverse(name, args=args or None, kwargs=kwargs or None)

    def date(value, format_string=None):
        # Django's |date: local time first (expects_localtime), then the locale's names.
        if value in (None, ""):
            return ""
        return formats.date_format(template_localtime(value), format_string)

    def shared_include(name):
        # As config/templatetags/shared_fragments.py: the same HTML for everyone, per language.
        key = (name, translation.get_language())
        html = kept.get(key)
        if html is None:
            html = kept[key] = SafeString(env.get_template(name).render())
        return html

    env.globals.update(
        url=url,
        static=static,
        shared_include=shared_include,
        inline_stylesheet=lambda: SafeString(minified()),
        organisation_language=lambda: organisation_text.LANGUAGE,
    )
    env.filters["date"] = date
    return env


def engines():
    from django.conf import settings
    from django.template import engines as django_engines
    from django.template.backends.jinja2 import Jinja2

    jinja = Jinja2(
        {
            "NAME": "jinja2",
            "DIRS": [JINJA2_TEMPLATES],
            "APP_DIRS": False,
            "OPTIONS": {
                "environment": f"{__name__}.environment",
                "context_processors": settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
            },
        }
    )
    return {"django": django_engines["django"], "jinja2": jinja}


# --- what the view and the middleware give the template ----------------------------------------


def person():
    """A logged-in user with a profile, loaded as the portal loads it (the unread count on it)."""
    from django.contrib.auth.models import User

    from notifications.selectors import UNREAD_ATTRIBUTE
    from profiles.models import Profile

    user = User(pk=1, username="bench")
    profile = Profile(pk=1, user=user)  # also fills user.profile, as select_related does
    setattr(user, UNREAD_ATTRIBUTE, UNREAD)
    return user, profile


def inbox_context(profile, count: int, per_page: int) -> dict:
    """What notifications.views.inbox passes, for `count` messages of three organisations."""
    from django.core.paginator import Paginator

    from consent.models import Organisation
    from notifications.choices import MessageKind
    from notifications.forms import InboxFilterForm
    from notifications.models import InboxMessage

    organisations = [Organisation(pk=n + 1, name=name) for n, name in enumerate(ORGANISATIONS)]
    kinds = [MessageKind.RECEIPT, MessageKind.STATUS, MessageKind.DECISION]
    start = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
    messages = [
        InboxMessage(
            pk=1000 + count - n,
            profile=profile,
            organisation=organisations[n % 3],
            kind=kinds[n % 3],
            subject=f"Uw aanvraag {n + 1}",
            created_at=start - timedelta(hours=7 * n),
            read_at=None if n < UNREAD else start,
        )
        for n in range(count)
    ]
    senders = sorted({m.organisation.pk: m.organisation for m in messages}.values(), key=str)
    form = InboxFilterForm(organisations=senders, portal=False)
    return {
        "form": form,
        "page": Paginator(messages, per_page).get_page(None),
        "sender": "",
        "sender_name": "",
        "filter_query": "",
        "has_messages": bool(senders),
    }


def request_for(user):
    """GET /berichten after the middleware: user, session (read), messages, resolver match."""
    from django.contrib.messages.storage import default_storage
    from django.test import RequestFactory
    from django.urls import resolve

    from profiles.login import session

    request = RequestFactory().get("/berichten")
    request.resolver_match = resolve(request.path_info)
    request.user = user
    now = session.clock()
    # The session as SessionMiddleware leaves it once read; a dict, so nothing is loaded.
    request.session = {
        session.SESSION_KEY: {
            "method": "digid",
            "level": "hoog",
            "acting_person": "",
            "login_at": now,
            "last_activity": now,
        }
    }
    request._messages = default_storage(request)
    return request


# --- comparing and timing -----------------------------------------------------------------------

_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')
_SPACE = re.compile(r"\s+")


def normalised(html: str) -> str:
    """Runs of white space as one space; the CSRF token's mask, new per page (Django) or per
    form (Jinja2's csrf_input), as one placeholder."""
    return _SPACE.sub(" ", _CSRF.sub(r'\1TOKEN"', html)).strip()


def render(engine, context: dict, request) -> str:
    return engine.get_template(PAGE).render(dict(context), request)


def compare(name: str, outputs: dict[str, str], show: bool) -> None:
    django_html, jinja_html = (normalised(outputs[key]) for key in ("django", "jinja2"))
    if django_html == jinja_html:
        return
    diff = difflib.unified_diff(
        django_html.replace("><", ">\n<").splitlines(),
        jinja_html.replace("><", ">\n<").splitlines(),
        "django",
        "jinja2",
        lineterm="",
    )
    text = "\n".join(diff)
    if show:
        print(text)
    raise SystemExit(f"{name}: the two engines' HTML differs:\n{text[:3000]}")


def cpu_per_render(engine, context, request, count: int) -> float:
    started = time.process_time()
    for _ in range(count):
        render(engine, context, request)
    return (time.process_time() - started) / count * 1e6


def shared_work(context, count: int, rounds: int) -> dict[str, float]:
    """µs CPU of what both engines hand to the same Django code (best of rounds)."""
    from django.middleware.csrf import get_token
    from django.urls import reverse
    from django.utils.formats import date_format
    from django.utils.timezone import template_localtime

    item = context["page"].object_list[0]
    field = context["form"]["organisatie"]

    def row():
        reverse("notifications:message", args=[item.pk])
        local = template_localtime(item.created_at)
        date_format(local, "c")
        date_format(local, "j F Y, H:i")

    request = context["request"]
    work = {
        "per row: reverse() and two dates": row,
        "per page: the filter's widget": field.__str__,
        "per form: a CSRF mask (get_token)": lambda: get_token(request),
    }
    best = dict.fromkeys(work, float("inf"))
    for _ in range(rounds):
        for name, call in work.items():
            started = time.process_time()
            for _ in range(count):
                call()
            best[name] = min(best[name], (time.process_time() - started) / count * 1e6)
    return best


def run(args) -> None:
    for key, value in settings_env().items():
        os.environ.setdefault(key, value)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import translation

    call_command("collectstatic", interactive=False, verbosity=0)
    translation.activate("nl")
    user, profile = person()
    request = request_for(user)
    cases = {
        "30 of 30": inbox_context(profile, 30, per_page=30),
        "25 of 30": inbox_context(profile, 30, per_page=_page_size()),
        "1 of 1": inbox_context(profile, 1, per_page=_page_size()),
        "0": inbox_context(profile, 0, per_page=_page_size()),
    }
    pair = engines()
    for name, context in cases.items():
        outputs = {key: render(engine, context, request) for key, engine in pair.items()}
        if name == "25 of 30" and "pagina=2" not in outputs["django"]:
            raise SystemExit("25 of 30: no pagination on the page; was PAGE_SIZE changed?")
        compare(name, outputs, args.show_diff)
    print(f"HTML equal (whitespace and CSRF masks aside) in all {len(cases)} cases")
    print(f"µs CPU per render, best of {args.rounds} rounds x {args.renders}")

    best = {(name, key): float("inf") for name in cases for key in pair}
    for _ in range(args.rounds):
        for name, context in cases.items():
            for key, engine in pair.items():
                micro = cpu_per_render(engine, context, request, args.renders)
                best[name, key] = min(best[name, key], micro)
    size = {name: len(render(pair["django"], context, request)) for name, context in cases.items()}
    print(f"{'messages shown':<16} {'django':>8} {'jinja2':>8} {'ratio':>6} {'KB':>5}")
    for name in cases:
        django_us, jinja_us = best[name, "django"], best[name, "jinja2"]
        ratio = jinja_us / django_us
        print(
            f"{name:<16} {django_us:>8.0f} {jinja_us:>8.0f} {ratio:>6.2f} {size[name] / 1024:>5.1f}"
        )
    for key in pair:
        row = (best["30 of 30", key] - best["1 of 1", key]) / 29
        print(f"{key}: fixed (0 messages) {best['0', key]:.0f} µs, per row {row:.1f} µs")
    print("the same Django code under both engines:")
    work = shared_work(cases["30 of 30"] | {"request": request}, args.renders * 10, args.rounds)
    for name, micro in work.items():
        print(f"  {name}: {micro:.1f} µs")


def _page_size() -> int:
    from notifications.selectors import PAGE_SIZE

    return PAGE_SIZE


def main(argv=None) -> int:
    run(parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
