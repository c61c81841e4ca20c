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


def _processes():
    """(pid, command, session id, CPU ticks) of every process we may read."""
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
        yield (
            int(entry.name),
            head.partition("(")[2],
            int(fields[3]),
            int(fields[11]) + int(fields[12]),
        )


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
    """CPU time used by processes outside this benchmark between start() and share()."""

    def __init__(self, *, database: str, sessions: set[int]):
        self.database = database
        self.sessions = sessions | {os.getsid(0)}
        self.available = Path("/proc/stat").exists()

    def _others(self) -> dict[int, int]:
        return {
            pid: ticks
            for pid, command, session, ticks in _processes()
            if session not in self.sessions
            and not (command == "postgres" and _postgres_for(pid, self.database))
        }

    def start(self) -> None:
        if self.available:
            self.before, self.started = self._others(), time.monotonic()

    def share(self) -> float | None:
        """Their share of all cores since start(), 0..1; None where /proc is missing."""
        if not self.available:
            return None
        after, elapsed = self._others(), time.monotonic() - self.started
        used = sum(ticks - self.before.get(pid, 0) for pid, ticks in after.items())
        return used / _TICKS / (elapsed * (os.cpu_count() or 1))
