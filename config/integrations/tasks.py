"""Background tasks (Django's task API through the django-tasks backport, database backend).

Slow work (e-mail, SMS, later deliveries) is enqueued inside the transaction that causes it, so
a task exists exactly when its cause was committed; `manage.py run_worker` runs them (the
library's worker in a loop that survives a lost database: notifications.worker).
"""

from config.env import env

__all__ = ["TASKS"]

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}
