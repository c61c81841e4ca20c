"""The worker's thread that sends status callbacks, beside the tasks it runs.

Callbacks are sent on a clock (every CALLBACK_POLL_SECONDS), not as tasks: a retry may be due in
a day, and a task per retry would fill the queue with waiting rows. Each worker process runs
one sender; several senders share the work without sending one callback twice, since each
claims its rows with SKIP LOCKED. A lost database is waited out like the worker does: the
thread logs, closes its connection and tries again at the next tick.
"""

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection

from notifications.callbacks.services import callbacks_dispatch

logger = logging.getLogger(__name__)


class CallbackSender(threading.Thread):
    def __init__(self):
        super().__init__(name="callback-sender", daemon=True)
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                sent = self.tick()
                if not sent:  # a full batch may have more behind it: go on at once
                    self.stopping.wait(settings.CALLBACK_POLL_SECONDS)
        finally:
            connection.close()

    def tick(self) -> int:
        close_old_connections()
        try:
            return callbacks_dispatch()
        except DatabaseError as error:
            logger.warning("status callbacks wait for the database: %s", str(error).splitlines()[0])
            connection.close()
            return 0

    def stop(self) -> None:
        self.stopping.set()
