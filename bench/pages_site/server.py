"""The two servers bench/pages.py loads, and what it asks them by hand before measuring."""

import html
import re
import urllib.error
import urllib.request
from http.cookies import SimpleCookie

from bench.api_site.server import portal_env
from bench.bare_site.views import BARE_PATH
from bench.pages_site.load import Request

SESSION_COOKIE = "moz_session"
PREFERENCE_PATH = "/mijn-gegevens/contactvoorkeur"


def pages_env(database_url: str, port: int, workers: int, threads: int) -> dict[str, str]:
    """bench/api.py's production environment, with the pages' settings module and the source
    registers' demo data (the overview's register block then comes from the shared cache, as
    it does in production for ten minutes after a person's first view)."""
    env = portal_env(database_url, port, workers, threads)
    env["DJANGO_SETTINGS_MODULE"] = "bench.pages_site.settings"
    for name in ("KVK", "BRP", "BAG"):
        env[f"REGISTER_{name}_BACKEND"] = "demo"
    return env


def bare_env(portal: dict[str, str], port: int) -> dict[str, str]:
    """The same gunicorn settings for the bare project; only its Django settings differ."""
    return portal | {
        "DJANGO_SETTINGS_MODULE": "bench.bare_site.settings",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }


def fetch(port: int, request: Request) -> tuple[int, dict[str, str], str, list[str]]:
    """(status, headers, body, Set-Cookie lines), without following a redirect."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    sent = urllib.request.Request(
        f"http://127.0.0.1:{port}{request.path}",
        data=request.body.encode() if request.method == "POST" else None,
        headers=request.headers,
        method=request.method,
    )
    try:
        with opener.open(sent, timeout=10) as answer:
            status, headers, body = answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    return status, dict(headers), body.decode(errors="replace"), headers.get_all("Set-Cookie") or []


def form_post(port: int, session: str, preference: str) -> Request:
    """The contact preference form's POST, with the CSRF cookie and token a browser would have
    after opening the form, and the version it showed."""
    page = Request(PREFERENCE_PATH, headers={"Cookie": f"{SESSION_COOKIE}={session}"})
    status, _headers, body, cookies = fetch(port, page)
    if status != 200:
        raise RuntimeError(f"{PREFERENCE_PATH} answered {status}: {body[:300]!r}")
    jar = SimpleCookie()
    for line in cookies:
        jar.load(line)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    seen = re.search(r'name="seen_version" value="([^"]*)"', body).group(1)
    fields = {"csrfmiddlewaretoken": token, "preference": preference, "seen_version": seen}
    return Request(
        PREFERENCE_PATH,
        method="POST",
        headers={
            "Cookie": f"{SESSION_COOKIE}={session}; csrftoken={jar['csrftoken'].value}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body="&".join(f"{k}={html.unescape(v)}" for k, v in fields.items()),
    )


def check_answers(ports: dict[str, int], requests: dict[str, tuple[str, Request]]) -> None:
    """One request of each by hand: a benchmark of error pages or login redirects would
    measure nothing. A page must answer 200 (a logged-in one with the logout button); the
    form POST must be accepted (302 to the check step)."""
    for name, (server, request) in requests.items():
        status, headers, body, _cookies = fetch(ports[server], request)
        if request.method == "POST":
            good = status == 302 and headers.get("Location", "").endswith("/controleren")
        elif request.path == BARE_PATH:
            # With the session cookie too: the same small page, whoever asks (the logged-in
            # pages below show that the session is a live one).
            good = status == 200
        elif SESSION_COOKIE in request.headers.get("Cookie", ""):
            good = status == 200 and "/uitloggen" in body
        else:
            good = status == 200 and "/inloggen" in body
        if not good:
            where = headers.get("Location", "")
            raise RuntimeError(f"{name} answered {status} {where}: {body[:300]!r}")
