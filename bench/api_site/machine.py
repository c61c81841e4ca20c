"""How much of the machine other programs took while we measured.

The benchmark shares two cores with whatever else runs (a test suite, a browser). A figure
taken while they ran says little, so each measurement reports their share next to it.
Linux only (/proc); elsewhere the share is unknown and reported as such.
"""

import os
import time
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
BUSY = 0.10  # above this share of the machine, the figures next to it are disturbed


def _cpu_ticks() -> dict[str, int]:
    """CPU time of the whole machine so far, all cores, in clock ticks, by kind."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    # Interrupts and the time the host gave to other virtual machines belong to no process.
    return {
        "busy": user + nice + system + irq + softirq + steal,
        "interrupts": irq + softirq,
        "steal (the host's other work)": steal,
    }


def _busy_ticks() -> int:
    return _cpu_ticks()["busy"]


def _processes():
    """(pid, command, session id, own CPU ticks, ticks of its finished children)."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            text = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and brackets: the fields start after the last ')'.
        head, _, rest = text.rpartition(")")
        fields = rest.split()
        own, children = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
        yield int(entry.name), head.partition("(")[2], int(fields[3]), own, children


def _postgres_for(pid: int, database: str) -> bool:
    """A PostgreSQL backend for another database is someone else's; the server's own helpers
    (WAL writer, checkpointer) mostly work for us while we load it, so they count as ours."""
    try:
        title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return True
    parts = title.split()
    is_backend = len(parts) >= 4 and parts[0] == "postgres:" and "(" in parts[3]
    return not is_backend or parts[2] == database


class OtherWork:
    """CPU time the machine spent on anything but this benchmark between start() and share().

    The whole machine's busy time minus ours: so programs that start and end within the
    window (a test suite's helpers) count too. Ours: this process and its finished children
    (wrk), gunicorn and its workers, PostgreSQL's work for our database, and Redis (the rate
    limit's shared cache; other users of this machine's Redis would count as ours).
    """

    def __init__(self, *, database: str, sessions: set[int]):
        self.database = database
        self.sessions = sessions | {os.getsid(0)}
        self.available = Path("/proc/stat").exists()

    def _ours(self) -> dict[int, int]:
        ours, self._theirs_now = {}, {}
        for pid, command, session, own, children in _processes():
            if session in self.sessions:
                ours[pid] = own + children  # a recycled worker's time lands in gunicorn's
            elif command == "postgres" and _postgres_for(pid, self.database):
                ours[pid] = own  # the postmaster's children include other people's backends
            elif command == "redis-server":
                ours[pid] = own  # the shared cache the API's rate limit counts in
            else:
                self._theirs_now[pid] = (command, own)
        return ours

    def start(self) -> None:
        if self.available:
            self.before, self.busy, self.started = self._ours(), _busy_ticks(), time.monotonic()
            self._theirs_before, self._cpu_before = self._theirs_now, _cpu_ticks()

    def busiest(self, count: int = 3) -> list[tuple[str, float]]:
        """The other programs that took most between start() and the last share(), with
        their share of all cores (kernel threads included: they are programs here too)."""
        elapsed = max(time.monotonic() - self.started, 1e-9) * (os.cpu_count() or 1)
        taken = {}
        for pid, (command, ticks) in self._theirs_now.items():
            used = ticks - self._theirs_before.get(pid, (command, 0))[1]
            taken[command] = taken.get(command, 0) + used
        cpu = _cpu_ticks()
        for kind in ("interrupts", "steal (the host's other work)"):
            taken[kind] = cpu[kind] - self._cpu_before[kind]
        top = sorted(taken.items(), key=lambda item: -item[1])[:count]
        return [(command, ticks / _TICKS / elapsed) for command, ticks in top if ticks > 0]

    def share(self) -> float | None:
        """Their share of all cores since start(), 0..1; None where /proc is missing."""
        if not self.available:
            return None
        after, busy, elapsed = self._ours(), _busy_ticks(), time.monotonic() - self.started
        ours = sum(ticks - self.before.get(pid, 0) for pid, ticks in after.items())
        others = max(0, busy - self.busy - ours)
        return others / _TICKS / (elapsed * (os.cpu_count() or 1))


def disk_pressure() -> float | None:
    """Share of the last 10 s in which some task waited for the disk (Linux PSI), 0..1; None
    where the kernel does not report it."""
    try:
        first = Path("/proc/pressure/io").read_text().split("\n", 1)[0]
    except OSError:
        return None
    fields = dict(part.split("=", 1) for part in first.split()[1:])
    return float(fields["avg10"]) / 100


def wait_for_disk(limit: float, *, quiet: float = 0.05) -> tuple[float, float | None]:
    """Wait (at most `limit` s) until the disk is quiet; returns (seconds waited, pressure).

    After loading a million profiles the disk keeps writing for a while, even after
    PostgreSQL's CHECKPOINT (the virtual disk's host flushes too); every commit then waits
    several times longer. Measured then, the log and the read at a million showed that
    backlog, not the number of profiles.
    """
    started = time.monotonic()
    pressure = disk_pressure()
    while pressure is not None and pressure > quiet and time.monotonic() - started < limit:
        time.sleep(2)
        pressure = disk_pressure()
    return time.monotonic() - started, pressure
