from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # profiles emits the event and knows nothing of notifications; the arrow points here.
        from notifications.receivers import security_notice
        from notifications.selectors import unread_count_column
        from profiles.login.request_user import user_column_add
        from profiles.signals import contact_detail_changed

        contact_detail_changed.connect(security_notice, dispatch_uid="notifications.security")
        # The menu's unread count comes with the request's user: one query fewer per page.
        user_column_add(unread_count_column())

        # Its part of a download and an erasure (profiles.rights.parts).
        from notifications.personal_data import NOTIFICATIONS_PART
        from profiles.rights.parts import part_register

        part_register(NOTIFICATIONS_PART)
