from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe
from django.views.i18n import set_language

from profiles.login.session import current_login, level_required
from profiles.login.views import safe_next
from profiles.registers.selectors import register_blocks
from profiles.selectors import contact_overview, login_summary
from profiles.services import profile_language_set


@require_safe
def login_choice(request):
    next_url = safe_next(request, request.GET.get("next"))
    if current_login(request):
        return redirect(next_url or "profiles:overview")
    return render(request, "profiles/login.html", {"next": next_url})


@require_safe
@level_required()
def overview(request):
    profile = request.user.profile
    return render(
        request,
        "profiles/overview.html",
        {
            "profile": profile,
            "contact": contact_overview(profile),
            "registers": register_blocks(profile),
            "login_rows": login_summary(profile, current_login(request)),
        },
    )


def language_switch(request):
    """Django's set_language; a logged-in person's profile remembers the choice as well."""
    response = set_language(request)
    # The cookie is only set for a POST with a language Django accepts: then it was a switch.
    chosen = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen is not None and current_login(request):
        profile_language_set(profile=request.user.profile, language=chosen.value)
    return response
