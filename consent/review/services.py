"""The four-eyes review of purpose texts: a reviewer of the portal approves or rejects.

Staff of an organisation propose (consent.services.doelbinding_version_save); only a reviewer
who did not write the text and does not work for the organisation decides. Each decision has a
reason and lands in the audit trail (DoelbindingVersion is registered with django-auditlog).
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consent.choices import LegalBasis, ReviewStatus
from consent.models import Doelbinding, DoelbindingVersion
from consent.review.law import validate_law_url

REVIEW_PERMISSION = "consent.review_doelbindingproposal"

OWN_PROPOSAL = _("You wrote this text yourself. Someone else must review it.")
NOT_A_REVIEWER = _(
    "Only a reviewer of the website who does not work for this organisation can review this text."
)
NOT_WAITING = _("This text is not waiting for review (any more).")
REVIEW_REASON_NEEDED = _("Write down why you approve or reject this text.")


def may_review(user: AbstractBaseUser, version: DoelbindingVersion) -> bool:
    """A reviewer (the permission) from outside the organisation, and not the author."""
    return (
        user.is_active
        and user.has_perm(REVIEW_PERMISSION)
        and version.proposed_by_id != user.pk
        and not user.organisations.filter(pk=version.doelbinding.organisation_id).exists()
    )


def _decide(
    *, version: DoelbindingVersion, reviewer: AbstractBaseUser, reason: str, status: str
) -> DoelbindingVersion:
    if not reason.strip():
        raise ValidationError(REVIEW_REASON_NEEDED, code="reason_needed")
    # The purpose first, as doelbinding_version_save locks it: one decision or proposal at a time.
    Doelbinding.objects.select_for_update().get(pk=version.doelbinding_id)
    version = DoelbindingVersion.objects.select_related("doelbinding").get(pk=version.pk)
    if version.proposed_by_id is not None and version.proposed_by_id == reviewer.pk:
        raise ValidationError(OWN_PROPOSAL, code="own_proposal")
    if not may_review(reviewer, version):
        raise ValidationError(NOT_A_REVIEWER, code="not_a_reviewer")
    if version.review_status != ReviewStatus.PROPOSED:
        raise ValidationError(NOT_WAITING, code="not_waiting")
    if status == ReviewStatus.APPROVED and version.legal_basis == LegalBasis.LEGAL_TASK:
        validate_law_url(version.law_url)
    version.review_status = status
    version.reviewed_by = reviewer
    version.decided_at = timezone.now()
    version.review_reason = reason.strip()
    version.save(update_fields=["review_status", "reviewed_by", "decided_at", "review_reason"])
    return version


@transaction.atomic
def proposal_approve(
    *, version: DoelbindingVersion, reviewer: AbstractBaseUser, reason: str
) -> DoelbindingVersion:
    """From now on this text is the purpose's current one: the gate, consent pages and intake
    use it. Consents given for an older text keep covering only what that text said."""
    return _decide(version=version, reviewer=reviewer, reason=reason, status=ReviewStatus.APPROVED)


@transaction.atomic
def proposal_reject(
    *, version: DoelbindingVersion, reviewer: AbstractBaseUser, reason: str
) -> DoelbindingVersion:
    """The text is never used; the organisation reads the reason in its admin."""
    return _decide(version=version, reviewer=reviewer, reason=reason, status=ReviewStatus.REJECTED)
