"""An admin page staff can only look at: the rows come from elsewhere (the portal, the API, a
worker), and changing or deleting them in the admin would falsify what they record."""


class ViewOnlyAdminMixin:
    """Put before the ModelAdmin base: no adding, changing or deleting, whatever the permissions."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
