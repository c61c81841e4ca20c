"""'Mijn gegevens downloaden' and 'Mijn gegevens verwijderen'. Thin: the rules live in the
services (export, erase); the person only ever reaches their own data (request.user.profile)."""

import json

from django.conf import settings
from django.contrib import auth
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from profiles.choices import LoginEventKind
from profiles.login.session import current_login, level_required
from profiles.rights.choices import ExportStatus
from profiles.rights.erase import profile_erase_everything
from profiles.rights.export import (
    data_export_for,
    data_export_handed_out,
    data_export_request,
    data_exports_current,
)
from profiles.rights.forms import EraseConfirmForm
from profiles.services import login_event_record
from profiles.signals import NotRecorded

NOT_RECORDED = _(
    "We cannot give you the file right now, because we could not write down that you "
    "downloaded it. Try again in a few minutes."
)


@require_http_methods(["GET", "HEAD", "POST"])
@level_required()
def download(request):
    profile = request.user.profile
    if request.method == "POST":
        data_export_request(profile=profile)
        return redirect("rights:download")
    context = {
        "exports": data_exports_current(profile),
        "link_minutes": settings.RIGHTS_DOWNLOAD_LINK_MINUTES,
    }
    return render(request, "rights/download.html", context)


def _ready_export(request, export_id: int):
    export = data_export_for(request.user.profile, export_id)
    if export is None or export.status != ExportStatus.READY:
        raise Http404
    return export


def _not_recorded(request):
    return render(request, "rights/not_recorded.html", {"problem": NOT_RECORDED}, status=503)


@require_safe
@level_required()
def download_json(request, export_id: int):
    export = _ready_export(request, export_id)
    try:
        data_export_handed_out(profile=request.user.profile, export=export, form="json")
    except NotRecorded:
        return _not_recorded(request)
    body = json.dumps(export.document, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    made = export.created_at.strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-{made}.json"'
    return response


@require_safe
@level_required()
def download_page(request, export_id: int):
    export = _ready_export(request, export_id)
    try:
        data_export_handed_out(profile=request.user.profile, export=export, form="html")
    except NotRecorded:
        return _not_recorded(request)
    response = render(
        request, "rights/document.html", {"export": export, "document": export.document}
    )
    return response


@require_safe
@level_required("LOA_ERASE")
def erase(request):
    years = settings.RETENTION["processing_log"] // 365
    return render(request, "rights/erase.html", {"processing_log_years": years})


@require_http_methods(["GET", "HEAD", "POST"])
@level_required("LOA_ERASE")
def erase_confirm(request):
    if request.method != "POST":
        return render(request, "rights/erase_confirm.html", {"form": EraseConfirmForm()})
    form = EraseConfirmForm(request.POST)
    if not form.is_valid():
        return render(request, "rights/erase_confirm.html", {"form": form}, status=400)
    login = current_login(request) or {}
    profile_erase_everything(profile=request.user.profile)
    # The session ends with the profile; the logout is recorded without the identity (gone).
    login_event_record(
        kind=LoginEventKind.LOGOUT, method=login.get("method", ""), level=login.get("level", "")
    )
    auth.logout(request)
    return redirect("rights:erased")


@require_safe
def erased(request):
    return render(request, "rights/erased.html")
