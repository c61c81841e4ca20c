"""A consent receipt as a page and as JSON; the consent history links to both."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from consent.choices import DataField
from consent.receipts.build import consent_receipt, receipt_events
from consent.receipts.selectors import consent_for_receipt
from consent.usage.selectors import DATA_LABELS
from profiles.login.session import level_required


def _receipt(request, consent_id, event: str):
    consent_id = int(consent_id)
    consent = consent_for_receipt(request.user.profile, consent_id)
    if consent is None or event not in receipt_events(consent):
        raise Http404
    return consent, consent_receipt(consent, event)


@require_safe
@level_required()
def receipt_page(request, consent_id, event: str):
    consent, receipt = _receipt(request, consent_id, event)
    labels = [DATA_LABELS[field] for field in DataField if field.value in receipt["personal_data"]]
    context = {"consent": consent, "receipt": receipt, "data_labels": labels}
    return render(request, "consent/receipt.html", context)


@require_safe
@level_required()
def receipt_json(request, consent_id, event: str):
    _consent, receipt = _receipt(request, consent_id, event)
    response = JsonResponse(receipt, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'inline; filename="toestemming-{consent_id}-{event}.json"'
    return response
