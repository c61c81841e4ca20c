"""Speed of the portal's pages, beside a minimal bare Django page.

Makes a fresh PostgreSQL database with one logged-in person, starts two gunicorns with the
production configuration (config/gunicorn.py, DEBUG off): the portal, and a minimal Django
project (bench/bare_site: one view rendering a small template, Django's security, common, CSRF
and clickjacking middleware only). Loads each from 127.0.0.1 with a fixed number of connections
and prints requests per second, p50/p99 latency and the ratio to the bare page for:

- bare: the minimal project's page;
- trivial: the same view and template through the portal's full middleware stack;
- trivial+login: that again with the logged-in person's session cookie: the session and the
  user with its profile are loaded, as for every logged-in page (no target of its own: it shows
  what is left of the bare page's rate before a logged-in page has done anything);
- home (logged out), /mijn-gegevens, /toestemmingen, /berichten, one message, and the contact
  preference form's POST, for the logged-in person.

Stops both servers and drops the database at the end, also on Ctrl-C or an error.

    python bench/pages.py            # 2 s warm-up and 5 s per measurement, about 2 minutes
    python bench/pages.py --duration 15

Not a test: it prints figures and passes or fails nothing.
"""

import argparse
import os
import platform
import signal
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path[0] = str(REPO)  # run as a script, Python puts bench/ first; the packages live one up

# The targets, as a share of the bare page's requests per second.
TARGETS = {"trivial": 0.7, "home": 0.4, "logged-in": 0.25}
LOGGED_IN = ("overview", "consents", "inbox", "message", "form POST")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Benchmark the portal's pages against a minimal bare Django page, both under "
            "gunicorn with config/gunicorn.py (DEBUG off), on a fresh PostgreSQL database that "
            "is dropped afterwards."
        ),
        epilog=(
            "Targets (share of the bare page's req/s): trivial view through the portal's "
            "middleware >= 0.7, home page >= 0.4, every logged-in page >= 0.25. Needs "
            "PostgreSQL; uses Redis on 127.0.0.1:6379 when it runs, and wrk when installed."
        ),
    )
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement (5)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before each (2)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (2)")
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per gunicorn worker (4, as production)"
    )
    parser.add_argument("--loader", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server on this machine (default: $BENCH_POSTGRES_URL or "
        "postgres://postgres@127.0.0.1:5432/postgres)",
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before each measurement, wait up to this long until other programs take at "
        "most 10%% of the machine (default 0: do not wait)",
    )
    args = parser.parse_args(argv)
    if args.connections < 1 or args.workers < 1 or args.duration <= 0:
        parser.error("connections, workers and duration must be positive")
    if urlsplit(args.postgres).hostname not in (None, "127.0.0.1", "localhost", "::1"):
        parser.error("--postgres must be on this machine: the benchmark only talks to loopback")
    return args


def measure(args, port: int, request, others):
    from bench.api_site.machine import BUSY
    from bench.pages_site import load

    wait_for_quiet(args, others)
    common = {"loader": args.loader, "port": port, "request": request}
    if args.warmup > 0:
        load.run(seconds=args.warmup, connections=args.connections, **common)
    others.start()
    result = load.run(seconds=args.duration, connections=args.connections, **common)
    share = others.share()
    if share is not None and share > BUSY:
        named = ", ".join(f"{name} {part:.0%}" for name, part in others.busiest())
        print(f"  {request.path}: other programs took {share:.0%} of the machine ({named})")
    if result.bad_status or result.socket_errors:
        print(
            f"  WARNING: {result.bad_status} answers were 4xx/5xx and {result.socket_errors} "
            f"requests failed on the socket during {request.path}: these figures are not valid."
        )
    return result, share


def wait_for_quiet(args, others) -> None:
    from bench.api_site.machine import BUSY

    started = time.monotonic()
    while time.monotonic() - started < args.wait_quiet:
        others.start()
        time.sleep(3)
        share = others.share()
        if share is None or share <= BUSY:
            return
    if args.wait_quiet:
        print(f"  still busy after {args.wait_quiet:g} s; measuring anyway")


def target_for(name: str) -> float | None:
    if name in LOGGED_IN:
        return TARGETS["logged-in"]
    return TARGETS.get(name)


HEADER = (
    f"{'page':<13} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'requests':>9}"
    f" {'÷ bare':>7}  {'target':<12} others"
)


def row(name: str, measured, bare_rps: float) -> str:
    result, others = measured
    ratio = result.rps / bare_rps if bare_rps else 0.0
    target = target_for(name)
    verdict = "" if target is None else f">= {target} {'met' if ratio >= target else 'NOT met'}"
    busy = "?" if others is None else f"{others:.0%}"
    return (
        f"{name:<13} {result.rps:>8.1f} {result.p50_ms:>8.2f} {result.p99_ms:>8.2f}"
        f" {result.max_ms:>8.1f} {result.requests:>9,} {ratio:>7.3f}  {verdict:<12} {busy:>6}"
    )


def requests_to_measure(port: int, session: str, message_id: int) -> dict:
    from bench.bare_site.views import BARE_PATH
    from bench.pages_site.load import Request
    from bench.pages_site.server import SESSION_COOKIE, form_post

    cookie = {"Cookie": f"{SESSION_COOKIE}={session}"}
    return {
        "bare": ("bare", Request(BARE_PATH)),
        "trivial": ("portal", Request(BARE_PATH)),
        "trivial+login": ("portal", Request(BARE_PATH, headers=cookie)),
        "home": ("portal", Request("/")),
        "overview": ("portal", Request("/mijn-gegevens", headers=cookie)),
        "consents": ("portal", Request("/toestemmingen", headers=cookie)),
        "inbox": ("portal", Request("/berichten", headers=cookie)),
        "message": ("portal", Request(f"/berichten/{message_id}", headers=cookie)),
        # digitaal -> post: the first step of the change, kept in the session until checked.
        "form POST": ("portal", form_post(port, session, "post")),
    }


def run(args, database) -> None:
    import django

    from bench.api_site.server import Gunicorn, free_port
    from bench.pages_site.server import bare_env, check_answers, pages_env

    ports = {"portal": free_port(), "bare": free_port()}
    env = pages_env(database.url, ports["portal"], args.workers, args.threads)
    os.environ.update(env)  # this process migrates and seeds with the same settings
    django.setup()
    from django.core.management import call_command

    from bench.api_site.machine import OtherWork
    from bench.pages_site import load, seed

    if args.loader == "auto":
        args.loader = "wrk" if load.wrk_available() else "python"
    print(
        f"gunicorn: config/gunicorn.py, {args.workers} workers each for the portal "
        f"(:{ports['portal']}) and the bare project (:{ports['bare']}), DEBUG off, "
        f"LOG_LEVEL=WARNING; database {database.name}; cache {env['CACHE_URL']}"
    )
    print(
        f"load: {args.loader}, {args.connections} connections, {args.warmup:g} s warm-up then "
        f"{args.duration:g} s per measurement; {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average before start {os.getloadavg()[0]:.1f}"
    )
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    profile = seed.person()
    session, message_id = seed.session_cookie(profile), seed.read_message_id(profile)
    print(f"migrated and seeded in {time.perf_counter() - started:.1f} s", flush=True)
    servers = {
        "portal": Gunicorn(env, ports["portal"], ["--max-requests", "0"]),
        "bare": Gunicorn(
            bare_env(env, ports["bare"]),
            ports["bare"],
            ["--max-requests", "0"],
            collect_static=False,
        ),
    }
    results = {}
    try:
        for server in servers.values():
            server.start()
        others = OtherWork(
            database=database.name, sessions={s.process.pid for s in servers.values()}
        )
        requests = requests_to_measure(ports["portal"], session, message_id)
        check_answers(ports, requests)
        print(HEADER, flush=True)
        for name, (server, request) in requests.items():
            results[name] = measure(args, ports[server], request, others)
            print(row(name, results[name], results["bare"][0].rps), flush=True)
    finally:
        for server in servers.values():
            server.stop()
    summary(results)


def summary(results: dict) -> None:
    from bench.api_site.machine import BUSY

    bare = results["bare"][0].rps
    print("\nSummary (share of the bare page's req/s)")
    for name, (result, _share) in results.items():
        if name != "bare":
            print(f"  {name}: {result.rps / bare:.3f}" if bare else f"  {name}: ?")
    busy = [share for _r, share in results.values() if share is not None and share > BUSY]
    if busy:
        print(
            f"  NOTE: other programs took up to {max(busy):.0%} of the machine during "
            f"{len(busy)} of {len(results)} measurements (column 'others'): those figures are "
            "disturbed; compare ratios within one run."
        )


def _interrupted(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupted)
    import psycopg

    from bench.api_site.server import Database

    database = Database(args.postgres)
    database.name = database.name.replace("bench_api", "bench_pages")
    database.url = database.url.replace("bench_api", "bench_pages")
    try:
        version = database.create()
    except psycopg.OperationalError as error:
        print(f"PostgreSQL at {args.postgres} is not reachable ({error}); nothing measured.")
        return 1
    print(f"Pages benchmark; PostgreSQL {version}")
    try:
        run(args, database)
    except KeyboardInterrupt:
        print("\ninterrupted: stopping gunicorn and dropping the database")
        return 130
    except Exception:  # any failure: say what broke, then still clean up below
        print("\nthe benchmark broke off:")
        traceback.print_exc(file=sys.stdout)
        return 1
    finally:
        database.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
