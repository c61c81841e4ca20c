"""The task worker that survives its database: `manage.py run_worker`.

- runner: the library's worker (django_tasks_db's public Worker class) in a loop of our own
  that waits for a lost database, reconnects and goes on, and puts back the task it was running.
- heartbeat: a row per worker renewed every few seconds, from a thread of its own, so a long task
  does not look like a dead worker; the same thread looks for orphaned tasks.
- recovery: which task goes back on the queue when its worker stopped, and which is failed
  instead because running it again could send something twice.
"""
