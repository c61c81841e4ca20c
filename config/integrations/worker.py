"""The task worker (`manage.py run_worker`): heartbeat, recovery of orphaned tasks, reconnecting.

A worker writes a heartbeat row every WORKER_HEARTBEAT_SECONDS. A task still marked running by
a worker whose heartbeat is older than WORKER_ORPHAN_AFTER seconds is orphaned (the worker was
killed, or its machine went away): the next worker picks it up again. Keep WORKER_ORPHAN_AFTER
several heartbeats long, so a busy or briefly disconnected worker is not taken for dead. When
the database goes away the worker waits for it, up to WORKER_RECONNECT_MAX_SECONDS between two
tries (the wait doubles from half a second).
"""

from config.env import env

__all__ = ["WORKER_HEARTBEAT_SECONDS", "WORKER_ORPHAN_AFTER", "WORKER_RECONNECT_MAX_SECONDS"]

WORKER_HEARTBEAT_SECONDS = env.float("WORKER_HEARTBEAT_SECONDS", default=5.0)
WORKER_ORPHAN_AFTER = env.float("WORKER_ORPHAN_AFTER", default=30.0)
WORKER_RECONNECT_MAX_SECONDS = env.float("WORKER_RECONNECT_MAX_SECONDS", default=30.0)
