"""Data migrations that give a staff group permissions, and take them back when reversed.

Migrations run on historical models, which have no models module, so the permissions of a
new model do not exist yet when its app's data migration runs: they are made here first.
"""

from django.contrib.auth.management import create_permissions


def _permissions(apps, app_label: str, codenames: tuple[str, ...]):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )


def group_grant(apps, *, group: str, app_label: str, codenames: tuple[str, ...]) -> None:
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True  # create_permissions skips an app without one
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    staff, _ = apps.get_model("auth", "Group").objects.get_or_create(name=group)
    staff.permissions.add(*_permissions(apps, app_label, codenames))


def group_revoke(apps, *, group: str, app_label: str, codenames: tuple[str, ...]) -> None:
    staff = apps.get_model("auth", "Group").objects.filter(name=group).first()
    if staff:
        staff.permissions.remove(*_permissions(apps, app_label, codenames))
