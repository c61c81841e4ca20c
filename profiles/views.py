from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from profiles.login_views import safe_next
from profiles.register_selectors import register_blocks
from profiles.selectors import contact_overview, login_summary
from profiles.session import current_login, level_required


@require_GET
def login_choice(request):
    next_url = safe_next(request, request.GET.get("next"))
    if current_login(request):
        return redirect(next_url or "profiles:overview")
    return render(request, "profiles/login.html", {"next": next_url})


@require_GET
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
