"""Four eyes in the demo: the demo purposes' texts approved by a reviewer, then put in force.

Development only (load_demo_data). The approvals are made by a reviewer of the group
"Toetser doelbinding" (consent migration 0010); when the demo accounts hold none, by
`demo-toetser`, an account that cannot log in and exists only to sign these approvals.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from consent.choices import DoelbindingStatus, ReviewStatus
from consent.models import DoelbindingVersion
from consent.review.services import proposal_approve
from consent.services import doelbinding_activate

REVIEWER_GROUP = "Toetser doelbinding"
AWB_2_14 = "https://wetten.overheid.nl/BWBR0005537/2024-01-01#Hoofdstuk2_Artikel2:14"


def _reviewer():
    User = get_user_model()
    found = User.objects.filter(
        groups__name=REVIEWER_GROUP, is_active=True, organisations__isnull=True
    ).first()
    if found is not None:
        return found
    user, created = User.objects.get_or_create(username="demo-toetser")
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    return User.objects.get(pk=user.pk)


def demo_purposes_in_force() -> None:
    """Approve the demo texts still waiting and put their purposes in force. Only the texts
    load_demo_data wrote (no author): a developer's own proposals wait for a real review."""
    waiting = DoelbindingVersion.objects.filter(
        review_status=ReviewStatus.PROPOSED, proposed_by__isnull=True
    ).select_related("doelbinding")
    if not waiting:
        return
    reviewer = _reviewer()
    for version in waiting:
        proposal_approve(version=version, reviewer=reviewer, reason="Demo: goedgekeurd.")
        if version.doelbinding.status == DoelbindingStatus.CONCEPT:
            doelbinding_activate(doelbinding=version.doelbinding)
