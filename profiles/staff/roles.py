"""Roles of the portal operator's staff: work that no organisation's staff may do."""

# Made by profiles/migrations/0005_register_report_handlers.py, which also took the report
# permissions away from every other group (the municipal staff group had them).
REGISTER_REPORT_HANDLERS = "Behandelaar terugmeldingen"


def handles_register_reports(user) -> bool:
    """Staff who handle reports of wrong register data: the handlers' group, or a superuser.

    Read from the permissions Django already holds for the request (no query of its own):
    only the handlers' group is given them."""
    return bool(user.is_active and user.is_staff and user.has_perm("profiles.change_terugmelding"))
