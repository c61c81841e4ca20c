from notifications.selectors import request_unread_count


def unread(request) -> dict:
    """UNREAD_MESSAGES for the 'Berichten' item in the menu, only for a profile: loaded with
    the request's user (no query of its own), else one COUNT."""
    user = getattr(request, "user", None)
    # Staff in the admin have no profile: no count, and no query beyond the one base.html makes.
    person = user is not None and user.is_authenticated and not user.is_staff
    profile = getattr(user, "profile", None) if person else None
    return {"UNREAD_MESSAGES": request_unread_count(user, profile) if profile else 0}
