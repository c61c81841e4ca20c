"""The history of changes to a person's data ("Wijzigingen")."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from profiles.history.selectors import history_page
from profiles.login.session import level_required


@require_safe
@level_required()
def history(request):
    profile = request.user.profile
    context = history_page(profile, request.GET.get("pagina"))
    return render(request, "profiles/history.html", context)
