"""The task workers in the admin, for the portal's operators: which run, and since when.

Read-only: a row is written by its worker (notifications.worker.heartbeat). A worker is alive
when its last sign of life is younger than WORKER_ORPHAN_AFTER; after that other workers take
over its task. The list warns when no worker is alive: then no e-mail, text message or code
goes out until one is started (or the database is back).
"""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_view_only import ViewOnlyAdminMixin
from notifications.models import WorkerHeartbeat
from notifications.worker.recovery import orphan_after

NO_WORKER_ALIVE = _(
    "No task worker is running. E-mails, text messages and codes wait until a worker runs. "
    "Start one, or check the database."
)


def alive_since():
    return timezone.now() - orphan_after()


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("worker_id", "hostname", "pid", "started_at", "beat_at", "alive")
    readonly_fields = list_display

    @admin.display(boolean=True, description=_("alive"))
    def alive(self, obj: WorkerHeartbeat) -> bool:
        return obj.beat_at >= alive_since()

    def changelist_view(self, request, extra_context=None):
        if not WorkerHeartbeat.objects.filter(beat_at__gte=alive_since()).exists():
            messages.warning(request, NO_WORKER_ALIVE)
        return super().changelist_view(request, extra_context)
