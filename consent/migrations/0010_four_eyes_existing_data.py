"""Four eyes on upgrade: what already worked keeps working, and the new roles get their rights.

- Every existing purpose version counts as approved (it was in use before review existed).
- Every existing API client counts as confirmed, its token as shown, and it may use every
  purpose of its organisation (confirmed ties), as it could before.
- The group "Toetser doelbinding" (the portal operator's privacy staff) is made; the group
  "Medewerker gemeente" gets the new, separate client permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

REVIEWER_GROUP = "Toetser doelbinding"
REVIEWER_PERMISSIONS = (
    "view_doelbindingproposal",
    "review_doelbindingproposal",
    "view_doelbinding",
    "view_doelbindingversion",
    "view_organisation",
)
STAFF_GROUP = "Medewerker gemeente"
STAFF_PERMISSIONS_ADDED = (
    "view_apiclientpurpose",
    "add_apiclientpurpose",
    "confirm_apiclient",
    "show_token_apiclient",
    "view_apivolumeday",
)
UPGRADE_REASON = "Approved at the upgrade to four-eyes review: this text was already in use."


def existing_data_approved(apps, schema_editor):
    now = timezone.now()
    Version = apps.get_model("consent", "DoelbindingVersion")
    Version.objects.filter(review_status="proposed").update(
        review_status="approved", decided_at=now, review_reason=UPGRADE_REASON
    )
    ApiClient = apps.get_model("consent", "ApiClient")
    Doelbinding = apps.get_model("consent", "Doelbinding")
    Link = apps.get_model("consent", "ApiClientPurpose")
    for client in ApiClient.objects.filter(confirmed_at__isnull=True):
        client.confirmed_at = now
        client.token_shown_at = client.created_at
        client.save(update_fields=["confirmed_at", "token_shown_at"])
        Link.objects.bulk_create(
            [
                Link(api_client=client, doelbinding=doelbinding, confirmed_at=now)
                for doelbinding in Doelbinding.objects.filter(
                    organisation_id=client.organisation_id
                )
            ],
            ignore_conflicts=True,
        )


def groups_given_rights(apps, schema_editor):
    # Permissions are normally made after all migrations; these groups need them now.
    app_config = apps.get_app_config("consent")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    reviewers, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
    reviewers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="consent", codename__in=REVIEWER_PERMISSIONS
        )
    )
    staff, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    staff.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="consent", codename__in=STAFF_PERMISSIONS_ADDED
        )
    )


def groups_without_new_rights(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=REVIEWER_GROUP).delete()
    staff = Group.objects.filter(name=STAFF_GROUP).first()
    if staff is not None:
        staff.permissions.remove(
            *staff.permissions.filter(codename__in=STAFF_PERMISSIONS_ADDED)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0009_four_eyes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(existing_data_approved, migrations.RunPython.noop),
        migrations.RunPython(groups_given_rights, groups_without_new_rights),
    ]
