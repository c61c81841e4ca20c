"""Speed of the organisation API's single-profile read, beside a bare Django view.

Makes a fresh PostgreSQL database, loads profiles, starts gunicorn with the production
configuration (config/gunicorn.py, DEBUG off) and loads it from 127.0.0.1 with a fixed number of
connections. Prints requests per second and p50/p99 latency for a bare view and for
POST /api/profielen/v1/contactgegevens/_zoek, at each number of profiles, and how they compare
with the targets. Stops gunicorn and drops the database at the end, also on Ctrl-C or an error.

    python bench/api.py            # quick (what `make bench` runs): 1,000 and 10,000 profiles
    python bench/api.py --large    # 1,000 and 1,000,000 profiles, 15 s per measurement, ~3 min

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
# Run as a script, Python puts bench/ first on the path; the portal's packages live one up.
sys.path[0] = str(REPO)

READ_OVER_BARE_TARGET = 0.6  # the read's throughput as a share of the bare view's
P99_GROWTH_TARGET = 1.2  # p99 at the largest size over p99 at the smallest
QUICK = {"profiles": [1_000, 10_000], "warmup": 2.0, "duration": 5.0}
LARGE = {"profiles": [1_000, 1_000_000], "warmup": 5.0, "duration": 15.0}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Benchmark the single-profile API read against a bare Django view, both served by "
            "one gunicorn (config/gunicorn.py, DEBUG off) on a fresh PostgreSQL database that "
            "is dropped afterwards. Without flags it runs the quick set (1,000 and 10,000 "
            "profiles, 5 s per measurement, under a minute), which is what `make bench` runs."
        ),
        epilog=(
            "Targets: read/bare throughput >= 0.6; p99 of the read at the largest size <= 1.2 x "
            "p99 at the smallest. Needs PostgreSQL; uses wrk when installed "
            "(apt-get install wrk), else a slower Python load generator."
        ),
    )
    parser.add_argument(
        "--large",
        action="store_true",
        help="1,000 and 1,000,000 profiles, 5 s warm-up and 15 s per measurement "
        "(about 3 minutes on a quiet 2-core machine; loading the million takes one)",
    )
    parser.add_argument(
        "--profiles",
        type=lambda text: [int(x.replace("_", "")) for x in text.split(",")],
        help="comma-separated numbers of profiles to measure at, e.g. 1000,100000 "
        "(overrides the set; the database grows from one size to the next)",
    )
    parser.add_argument(
        "--duration", type=float, help="seconds per measurement (quick 5, large 15)"
    )
    parser.add_argument("--warmup", type=float, help="seconds of unmeasured load before each")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (8)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per worker (4, production's default)"
    )
    parser.add_argument(
        "--worker-class",
        choices=["gthread", "sync"],
        default="gthread",
        help="gunicorn's worker class: gthread (config/gunicorn.py) or sync, the set-up before "
        "2026-12-06, for comparing (use it with --threads 1)",
    )
    parser.add_argument(
        "--loader",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk if installed (auto), or the built-in Python one",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server on this machine, as a URL to a database to connect to while "
        "creating and dropping the benchmark's own (default: $BENCH_POSTGRES_URL or "
        "postgres://postgres@127.0.0.1:5432/postgres)",
    )
    parser.add_argument("--sample", type=int, default=50_000, help="distinct BSNs to read (50000)")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before each measurement, wait up to this long until other programs take at "
        "most 10%% of the machine (default 0: do not wait)",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=0,
        help="recycle each gunicorn worker after this many requests (plus config/gunicorn.py's "
        "jitter); 2000 is production's setting. Default 0: never, because the workers reach "
        "the limit together and their restart puts ~1 s outliers into p99 that have nothing "
        "to do with the read or the number of profiles",
    )
    parser.add_argument(
        "--disk-wait",
        type=float,
        default=300,
        metavar="SECONDS",
        help="after loading, wait up to this long until the disk has written the load "
        "(Linux pressure information; default 300)",
    )
    args = parser.parse_args(argv)
    chosen = LARGE if args.large else QUICK
    args.profiles = sorted(set(args.profiles or chosen["profiles"]))
    args.duration = args.duration or chosen["duration"]
    args.warmup = chosen["warmup"] if args.warmup is None else args.warmup
    if min(args.profiles) < 1 or min(args.connections, args.workers, args.threads) < 1:
        parser.error("profiles, connections, workers and threads must be at least 1")
    if urlsplit(args.postgres).hostname not in (None, "127.0.0.1", "localhost", "::1"):
        parser.error("--postgres must be on this machine: the benchmark only talks to loopback")
    return args


class Measurer:
    """Warm-up, then one measured load of one path, with the other programs' share beside it."""

    def __init__(self, args, port: int, token: str, doelbinding: int, others):
        self.args, self.port, self.others = args, port, others
        self.request = {"token": token, "doelbinding": doelbinding}

    def __call__(self, path: str, sample: list[str]):
        from bench.api_site import load
        from bench.api_site.machine import BUSY

        common = {
            "loader": self.args.loader,
            "port": self.port,
            "path": path,
            "bsns": sample,
            "connections": self.args.connections,
            **self.request,
        }
        self.wait_for_quiet()
        if self.args.warmup > 0:
            load.run(seconds=self.args.warmup, **common)
        self.others.start()
        result = load.run(seconds=self.args.duration, **common)
        others = self.others.share()
        if others is not None and others > BUSY:
            named = ", ".join(f"{name} {share:.0%}" for name, share in self.others.busiest())
            print(f"  {path}: other programs took {others:.0%} of the machine ({named})")
        if result.bad_status or result.socket_errors:
            # Figures of refused or broken requests would flatter the read; say so loudly.
            print(
                f"  WARNING: {result.bad_status} answers were not 2xx and "
                f"{result.socket_errors} requests failed on the socket during {path}; "
                f"these figures are not valid."
            )
        return result, others

    def wait_for_quiet(self) -> None:
        """On a shared machine: hold off while other programs take the cores (--wait-quiet)."""
        from bench.api_site.machine import BUSY

        started = time.monotonic()
        while time.monotonic() - started < self.args.wait_quiet:
            self.others.start()
            time.sleep(3)
            share = self.others.share()
            if share is None or share <= BUSY:
                break
            if time.monotonic() - started < 4:
                print(f"  other programs take {share:.0%} of the machine; waiting", flush=True)
        else:
            if self.args.wait_quiet:
                print(f"  still busy after {self.args.wait_quiet:g} s; measuring anyway")
            return
        if time.monotonic() - started > 4:
            print(f"  quiet after {time.monotonic() - started:.0f} s", flush=True)


HEADER = (
    f"{'profiles':>12}  {'view':<5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    f" {'requests':>9}  others"
)


def row(size: int, name: str, measured) -> str:
    result, others = measured
    busy = "?" if others is None else f"{others:.0%}"
    return (
        f"{size:>12,}  {name:<5} {result.rps:>8.1f} {result.p50_ms:>8.2f} {result.p99_ms:>8.2f}"
        f" {result.max_ms:>8.1f} {result.requests:>9,}  {busy:>6}"
    )


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def throughput_share(bare, read) -> str:
    share = read[0].rps / bare[0].rps if bare[0].rps else 0.0
    return (
        f"read/bare throughput {share:.2f} "
        f"(target >= {READ_OVER_BARE_TARGET}: {verdict(share >= READ_OVER_BARE_TARGET)})"
    )


def run(args, database) -> None:
    import django

    from bench.api_site.server import (
        BARE_PATH,
        LOG_PATH,
        READ_PATH,
        Gunicorn,
        check_answers,
        free_port,
        portal_env,
    )

    port = free_port()
    env = portal_env(database.url, port, args.workers, args.threads)
    os.environ.update(env)  # this process migrates and loads with the same settings
    django.setup()
    from django.core.management import call_command

    from bench.api_site import load, seed
    from bench.api_site.machine import OtherWork

    if args.loader == "auto":
        args.loader = "wrk" if load.wrk_available() else "python"
    recycle = (
        f"after {args.max_requests:,} requests (+ jitter)"
        if args.max_requests
        else "never (--max-requests 0; production: after 2,000 + jitter)"
    )
    print(
        f"gunicorn: config/gunicorn.py, {args.workers} {args.worker_class} workers of "
        f"{args.threads} thread(s) recycled {recycle}, "
        f"127.0.0.1:{port}, DEBUG off, LOG_LEVEL=WARNING; database {database.name}; "
        f"cache {env['CACHE_URL']}"
    )
    print(
        f"load: {args.loader}, {args.connections} connections, {args.warmup:g} s warm-up then "
        f"{args.duration:g} s per measurement; {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average before start {os.getloadavg()[0]:.1f}"
    )
    if args.loader == "python":
        print("  (wrk is not installed: the Python load generator shares the cores and the GIL)")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    doelbinding, token = seed.organisation_setup()
    print(f"migrated and set up in {time.perf_counter() - started:.1f} s")
    options = ["--max-requests", str(args.max_requests), "--worker-class", args.worker_class]
    server = Gunicorn(env, port, options)
    results: dict[int, tuple] = {}
    try:
        for size in args.profiles:
            took = seed.profiles_grow(size)
            print(f"\n{size:,} profiles loaded ({took:.1f} s)", flush=True)
            settle_disk(args.disk_wait)
            print("measuring...", flush=True)
            if server.process is None:
                server.start()
                others = OtherWork(database=database.name, sessions={server.process.pid})
                measure = Measurer(args, port, token, doelbinding, others)
            sample = seed.sample_bsns(size, args.sample, seed=size)
            check_answers(port, token, doelbinding, sample[0])
            bare = measure(BARE_PATH, sample)
            logged = measure(LOG_PATH, sample)
            read = measure(READ_PATH, sample)
            results[size] = (bare, read, logged)
            print(HEADER)
            print(row(size, "bare", bare))
            print(row(size, "log", logged))
            print(row(size, "read", read))
            print(f"{'':>14}{throughput_share(bare, read)}")
            print(f"{'':>14}{log_share(bare, logged)}", flush=True)
    finally:
        server.stop()
    summary(results)


def settle_disk(limit: float) -> None:
    from bench.api_site.machine import wait_for_disk

    waited, pressure = wait_for_disk(limit)
    if pressure is None:
        print("  (this kernel does not say how busy the disk is; measuring at once)")
    elif pressure > 0.05:
        print(
            f"  the disk is still busy after {waited:.0f} s (tasks waited for it "
            f"{pressure:.0%} of the last 10 s): commits at this size are slower for that"
        )
    elif waited >= 2:
        print(f"  waited {waited:.0f} s for the disk to finish writing the load", flush=True)


def log_share(bare, logged) -> str:
    share = logged[0].rps / bare[0].rps if bare[0].rps else 0.0
    return f"log/bare throughput {share:.2f} (only the processing record: the most any read gets)"


def summary(results: dict[int, tuple]) -> None:
    from bench.api_site.machine import BUSY

    print("\nSummary")
    for size, (bare, read, logged) in results.items():
        print(
            f"  {size:>9,} profiles: bare {bare[0].rps:.0f} req/s, read {read[0].rps:.0f} req/s "
            f"(p50 {read[0].p50_ms:.1f} ms, p99 {read[0].p99_ms:.1f} ms); "
            f"{throughput_share(bare, read)}; log/bare {logged[0].rps / bare[0].rps:.2f}"
        )
    if len(results) > 1:
        small, large = min(results), max(results)
        p99_small, p99_large = results[small][1][0].p99_ms, results[large][1][0].p99_ms
        growth = p99_large / p99_small if p99_small else 0.0
        print(
            f"  p99 of the read: {p99_small:.1f} ms at {small:,}, {p99_large:.1f} ms at "
            f"{large:,}: ratio {growth:.2f} (target <= {P99_GROWTH_TARGET}: "
            f"{verdict(growth <= P99_GROWTH_TARGET)})"
        )
        fewest = min(results[small][1][0].requests, results[large][1][0].requests)
        if fewest < 2000:
            print(
                f"  (a p99 of {fewest:,} requests rests on its slowest {fewest // 100}: between "
                f"runs it moves by a quarter or more; --large measures longer)"
            )
    busy = [
        share
        for pair in results.values()
        for _result, share in pair
        if share is not None and share > BUSY
    ]
    if busy:
        print(
            f"  NOTE: other programs took up to {max(busy):.0%} of the machine during "
            f"{len(busy)} of the measurements (column 'others'); those figures are disturbed. "
            f"Run again on a quiet machine."
        )


def _interrupted(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupted)
    import psycopg

    from bench.api_site.server import BARE_PATH, LOG_PATH, READ_PATH, Database

    print(
        f"API benchmark: POST {READ_PATH} beside POST {BARE_PATH} and {LOG_PATH}, at "
        f"{', '.join(f'{n:,}' for n in args.profiles)} profiles"
    )

    database = Database(args.postgres)
    try:
        version = database.create()
    except psycopg.OperationalError as error:
        print(f"PostgreSQL at {args.postgres} is not reachable ({error}); nothing measured.")
        return 1
    print(f"PostgreSQL {version}")
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
