"""What staff may see and how long they stay (issue 13): the password rules, the idle timeout
of a staff session, reports of wrong register data only for the operator's handlers, and the
audit trail's page without people's data."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group, User
from django.utils import timezone

from profiles.admin.audit_trail import MASK
from profiles.choices import ContactKind, Register, TerugmeldingStatus
from profiles.login import session as session_module
from profiles.models import ContactDetail, Terugmelding
from profiles.staff.roles import REGISTER_REPORT_HANDLERS
from tests.factories import make_organisation, make_profile
from tests.support.clock import Clock

pytestmark = pytest.mark.django_db

REPORTS = "/beheer/profiles/terugmelding/"
AUDIT = "/beheer/auditlog/logentry/"
EXPIRED = "U bent automatisch uitgelogd, omdat u een tijd niets heeft gedaan."


@pytest.fixture
def clock(monkeypatch):
    moved = Clock()
    monkeypatch.setattr(session_module, "clock", moved)
    return moved


def municipal_staff():
    user = User.objects.create_user("medewerker-gemeente", is_staff=True)
    user.groups.add(Group.objects.get(name="Medewerker gemeente"))
    make_organisation().staff.add(user)
    return user


def handler():
    user = User.objects.create_user("behandelaar", is_staff=True)
    user.groups.add(Group.objects.get(name=REGISTER_REPORT_HANDLERS))
    return user


def superuser():
    return User.objects.create_superuser("beheerder", "beheer@example.org", None)


# --- password rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("a", "password_too_short"),
        ("Kort-2041", "password_too_short"),
        ("password1234", "password_too_common"),
        ("qwertyuiop123", "password_too_common"),
        ("804731956201", "password_entirely_numeric"),
        ("nieuwe-medewerker", "password_too_similar"),
    ],
)
def test_the_admin_refuses_a_weak_password_for_a_staff_account(client, password, code):
    client.force_login(superuser())

    response = client.post(
        "/beheer/auth/user/add/",
        {
            "username": "nieuwe-medewerker",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    codes = {error.code for errors in form.errors.as_data().values() for error in errors}
    assert code in codes
    assert 'class="errorlist' in response.content.decode()
    assert not User.objects.filter(username="nieuwe-medewerker").exists()


def test_the_admin_takes_a_long_uncommon_password(client):
    client.force_login(superuser())
    password = "Fiets-Molen-Kaas-4711"
    response = client.post(
        "/beheer/auth/user/add/",
        {
            "username": "nieuwe-medewerker",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="nieuwe-medewerker").check_password(password)


# --- idle timeout -----------------------------------------------------------------------------


def test_a_staff_session_idle_for_15_minutes_ends_with_an_explanation(client, clock):
    staff = superuser()
    client.force_login(staff)
    assert client.get("/beheer/").status_code == 200

    clock.forward(15 * 60 + 1)
    response = client.get("/beheer/auth/user/")

    assert response.status_code == 302
    assert response["Location"] == "/beheer/login/?next=%2Fbeheer%2Fauth%2Fuser%2F"
    assert EXPIRED in client.get(response["Location"]).content.decode()
    assert client.get("/beheer/").status_code == 302
    expired = LogEntry.objects.get(additional_data__staff_login="session_expired")
    assert expired.actor == staff


def test_activity_keeps_a_staff_session_alive(client, clock):
    client.force_login(superuser())
    for _ in range(4):
        clock.forward(10 * 60)
        assert client.get("/beheer/").status_code == 200


def test_the_staff_idle_timeout_is_configurable(client, clock, settings):
    settings.STAFF_SESSION_IDLE_TIMEOUT = 5 * 60
    client.force_login(superuser())
    clock.forward(5 * 60 + 1)
    assert client.get("/beheer/").status_code == 302


def test_a_staff_session_ends_after_the_absolute_length_however_active(client, clock, settings):
    client.force_login(superuser())
    for _ in range(settings.SESSION_ABSOLUTE_TIMEOUT // (10 * 60)):
        clock.forward(10 * 60)
        client.get("/beheer/")
    clock.forward(10 * 60)
    assert client.get("/beheer/").status_code == 302


# --- reports of wrong register data -----------------------------------------------------------


@pytest.fixture
def report():
    return Terugmelding.objects.create(
        profile=make_profile(),
        register=Register.BRP,
        item="naam",
        shown_value="Jan de Vries",
        note="Mijn naam is anders.",
    )


def test_municipal_staff_do_not_see_reports_at_all(client, report):
    client.force_login(municipal_staff())

    assert client.get(REPORTS).status_code == 403
    assert client.get(f"{REPORTS}{report.pk}/change/").status_code == 403
    refused = client.post(f"{REPORTS}{report.pk}/change/", {"status": "closed"})
    assert refused.status_code == 403
    assert "terugmelding" not in client.get("/beheer/").content.decode()
    report.refresh_from_db()
    assert report.status == TerugmeldingStatus.NEW


def test_the_municipal_group_lost_the_report_permissions():
    group = Group.objects.get(name="Medewerker gemeente")
    assert not group.permissions.filter(codename__endswith="_terugmelding").exists()


@pytest.mark.parametrize("make_user", [handler, superuser], ids=["handler", "superuser"])
def test_the_operators_handlers_see_and_close_reports(client, report, make_user):
    client.force_login(make_user())
    assert "Jan de Vries" in client.get(f"{REPORTS}{report.pk}/change/").content.decode()

    response = client.post(
        f"{REPORTS}{report.pk}/change/",
        {"status": TerugmeldingStatus.CLOSED, "staff_note": "Doorgegeven."},
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == TerugmeldingStatus.CLOSED


# --- the audit trail's own page ---------------------------------------------------------------


@pytest.fixture
def changed_email():
    profile = make_profile()
    detail = ContactDetail.objects.create(
        profile=profile,
        kind=ContactKind.EMAIL,
        value="oud@voorbeeld.nl",
        verified_at=timezone.now(),
    )
    detail.value = "nieuw@voorbeeld.nl"
    detail.save()
    return LogEntry.objects.get_for_object(detail).order_by("pk").last()


def test_the_audit_trail_shows_no_contact_values_in_its_list_or_entry(client, changed_email):
    client.force_login(superuser())

    listing = client.get(AUDIT).content.decode()
    entry = client.get(f"{AUDIT}{changed_email.pk}/change/").content.decode()

    for page in (listing, entry):
        assert "voorbeeld.nl" not in page
    assert MASK in entry
    assert "value" in entry or "waarde" in entry  # what changed is still there


def test_the_audit_trail_search_cannot_find_a_contact_value(client, changed_email):
    client.force_login(superuser())
    response = client.get(AUDIT, {"q": "nieuw@voorbeeld.nl"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 0


def test_the_audit_trail_still_shows_changes_to_the_portals_own_things(client):
    organisation = make_organisation("Gemeente Zichtbaar")
    organisation.name = "Gemeente Anders"
    organisation.save()
    entry = LogEntry.objects.get_for_object(organisation).order_by("pk").last()
    client.force_login(superuser())

    page = client.get(f"{AUDIT}{entry.pk}/change/").content.decode()

    assert "Gemeente Zichtbaar" in page
    assert "Gemeente Anders" in page


def test_municipal_staff_cannot_open_the_audit_trail(client, changed_email):
    client.force_login(municipal_staff())
    assert client.get(AUDIT).status_code == 403
