"""CPU time per page in one process: what bench/pages.py measures, without the load or the noise.

    python bench/pages_cpu.py                    # every page, best of 3 x 300 requests
    python bench/pages_cpu.py --profile inbox    # and a cProfile of one page, top 40 by own time

On a shared machine the load runs of bench/pages.py swing with whatever else runs; CPU time of
one process (``time.process_time``) moves much less. The portal's WSGI handler is called directly
with the person and session bench/pages.py seeds, on its own PostgreSQL database and the production
settings of bench/pages.py (DEBUG off, Redis when it runs). "trivial" is the bare project's view
through the portal's full middleware, so every page can be read as "so many trivial pages".

Two columns: the CPU time of this process per request (building statements, reading rows,
rendering), and that of its PostgreSQL server processes (parsing, planning and running the
statements; 10 ms clock ticks, so only roughly). On one machine both count against its cores.
With DATABASE_PREPARED_STATEMENTS=false the statements run unprepared on `default`.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per round")
    parser.add_argument("--rounds", type=int, default=3, help="the best round counts")
    parser.add_argument("--profile", metavar="PAGE", help="cProfile one page after measuring")
    parser.add_argument("--profile-out", metavar="FILE", help="keep the profile for pstats")
    parser.add_argument("--only", nargs="*", help="measure only these pages")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    return parser.parse_args(argv)


def environ_for(path: str, cookie: str = "", method: str = "GET", body: bytes = b"") -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(handler, request) -> tuple[str, bytes]:
    status, _headers, body = call_with_headers(handler, request)
    return status, body


def call_with_headers(handler, request) -> tuple[str, list, bytes]:
    environ = environ_for(
        request.path, request.headers.get("Cookie", ""), request.method, request.body.encode()
    )
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, headers

    body = b"".join(handler(environ, start_response))
    return answer["status"], answer["headers"], body


def form_post(handler, request, preference: str):
    """The contact preference form's POST with the CSRF cookie and token its page gave, as
    bench/pages.py sends it (digitaal to post: kept in the session, 302 to the check step)."""
    import html
    import re
    from http.cookies import SimpleCookie

    from bench.pages_site.load import Request

    _status, headers, body = call_with_headers(handler, request)
    jar = SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    page = body.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    seen = re.search(r'name="seen_version" value="([^"]*)"', page).group(1)
    fields = {"csrfmiddlewaretoken": token, "preference": preference, "seen_version": seen}
    return Request(
        request.path,
        method="POST",
        headers={"Cookie": f"{request.headers['Cookie']}; csrftoken={jar['csrftoken'].value}"},
        body="&".join(f"{k}={html.unescape(v)}" for k, v in fields.items()),
    )


def postgres_backends() -> list[int]:
    """The server processes of this process's connections (`default`, and `prepared` where the
    statements of core/sql.py run): their CPU time is the database's share of a page."""
    from django.db import connections

    pids = []
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids.append(cursor.fetchone()[0])
    return pids


def backend_seconds(pids: list[int]) -> float | None:
    """Their CPU time so far; None when one of them is gone (Django replaced a connection)."""
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:  # utime and stime, after the command's ")"
                fields = stat.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            return None
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_per_request(handler, request, count: int, rounds: int) -> tuple[float, float | None]:
    """(ours, PostgreSQL's) µs of CPU per request, from the round in which ours was least;
    PostgreSQL's is None when a connection was replaced during that round."""
    best: tuple[float, float | None] = (float("inf"), None)
    for _ in range(rounds):
        pids = postgres_backends()
        started, database = time.process_time(), backend_seconds(pids)
        for _ in range(count):
            call(handler, request)
        ours = (time.process_time() - started) / count
        after = backend_seconds(pids)
        if ours < best[0]:
            share = None if None in (database, after) else (after - database) / count * 1e6
            best = (ours, share)
    return best[0] * 1e6, best[1]


def run(args, database) -> None:
    from bench.pages_site.server import pages_env

    os.environ.update(pages_env(database.url, 0, 1, 1))
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command

    from bench.bare_site.views import BARE_PATH
    from bench.pages_site import seed
    from bench.pages_site.load import Request
    from bench.pages_site.server import SESSION_COOKIE

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    profile = seed.person()
    session, message_id = seed.session_cookie(profile), seed.read_message_id(profile)
    cookie = {"Cookie": f"{SESSION_COOKIE}={session}"}
    portal = WSGIHandler()
    pages = {
        "trivial": Request(BARE_PATH),
        "trivial+login": Request(BARE_PATH, headers=cookie),  # session and user loaded
        "home": Request("/"),
        "overview": Request("/mijn-gegevens", headers=cookie),
        "consents": Request("/toestemmingen", headers=cookie),
        "inbox": Request("/berichten", headers=cookie),
        "message": Request(f"/berichten/{message_id}", headers=cookie),
        "preference": Request("/mijn-gegevens/contactvoorkeur", headers=cookie),
        # The form POST is added below, with the token the form page gives.
    }
    pages["form POST"] = form_post(portal, pages["preference"], "post")
    if args.only:
        pages = {name: pages[name] for name in args.only}
    for name, request in pages.items():
        status, body = call(portal, request)
        if name == "form POST":
            if not status.startswith("302"):
                raise RuntimeError(f"the form POST answered {status}: {body[:300]!r}")
        elif not status.startswith("200"):
            raise RuntimeError(f"{name} answered {status}: {body[:300]!r}")
        if name in ("overview", "consents", "inbox", "message") and b"logout-form" not in body:
            raise RuntimeError(f"{name} did not show a logged-in page")
    # PostgreSQL on this machine: its processes' CPU counts in with ours (clock ticks of 10 ms:
    # a few hundred requests per round make that fine enough).
    print(f"{'page':<12} {'µs CPU':>8} {'+ PG µs':>8} {'KB':>6}")
    for name, request in pages.items():
        micro, database = cpu_per_request(portal, request, args.requests, args.rounds)
        size = len(call(portal, request)[1]) / 1024
        server = "?" if database is None else f"{database:.0f}"
        print(f"{name:<12} {micro:>8.0f} {server:>8} {size:>6.1f}", flush=True)
    if args.profile:
        request = pages[args.profile]
        # CPU time, not wall time: on a shared machine the wall clock counts the others too.
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.requests):
            call(portal, request)
        profiler.disable()
        if args.profile_out:
            profiler.dump_stats(args.profile_out)
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(40)
        stats.sort_stats("cumulative").print_stats(60)


def main(argv=None) -> int:
    args = parse_args(argv)
    from bench.api_site.server import Database

    database = Database(args.postgres)
    database.name = database.name.replace("bench_api", "bench_pages_cpu")
    database.url = database.url.replace("bench_api", "bench_pages_cpu")
    database.create()
    try:
        run(args, database)
    finally:
        database.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
