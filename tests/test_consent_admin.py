"""The staff admin at /beheer/: staff see and change only their own organisations' purposes."""

import csv
import io
from html.parser import HTMLParser

import pytest
from auditlog.models import LogEntry
from django.contrib.admin import site
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consent.choices import DataField, DoelbindingStatus, LegalBasis, ReviewStatus
from consent.models import Consent, Doelbinding, Organisation
from consent.services import consent_give, consent_withdraw
from tests.factories import make_doelbinding, make_organisation, make_profile

pytestmark = pytest.mark.django_db

NO_DATA = "Kies minstens één soort gegeven dat deze doelbinding mag gebruiken."
LAW_NEEDED = "Noem de wet en het artikel waar deze wettelijke taak in staat."
BAD_OIN = "Een OIN heeft precies 20 cijfers, bijvoorbeeld 00000001001234567000."
REASON_NEEDED = "Schrijf op waarom u deze doelbinding intrekt."


def make_staff(*organisations, username="medewerker-a"):
    """A municipal staff member: in the 'Medewerker gemeente' group, staff of `organisations`."""
    user = User.objects.create_user(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name="Medewerker gemeente"))
    for organisation in organisations:
        organisation.staff.add(user)
    return user


def make_superuser():
    return User.objects.create_superuser("beheerder", "beheer@example.org", None)


def give(doelbinding, profile=None):
    profile, version = profile or make_profile(), doelbinding.versions.order_by("number").last()
    return consent_give(profile=profile, doelbinding=doelbinding, version_id=version.pk)


def url(model, view="changelist", *args):
    return reverse(f"admin:consent_{model}_{view}", args=args)


class _FormReader(HTMLParser):
    """Collects what a browser would submit from one form on the page."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif not self.inside or (not name and tag != "option"):
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            checkable = attrs.get("type") in ("checkbox", "radio")
            if not checkable or "checked" in attrs:
                self.data.setdefault(name, []).append(attrs.get("value", "on" if checkable else ""))
        elif tag == "select":
            self.select, self.data[name] = name, []
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select].append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea, self.data[name] = name, [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            # Browsers drop the newline that starts a textarea's content.
            self.data[self.textarea][0] = self.data[self.textarea][0].removeprefix("\n")
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data


def form_data(response, form_id="doelbinding_form"):
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    return reader.data


@pytest.fixture
def aadorp():
    return make_organisation("Gemeente Aadorp")


@pytest.fixture
def beedorp():
    return make_organisation("Gemeente Beedorp")


@pytest.fixture
def staff(client, aadorp):
    user = make_staff(aadorp)
    client.force_login(user)
    return user


@pytest.fixture
def theirs(beedorp):
    return make_doelbinding(beedorp, name="Parkeervergunning Beedorp")


def test_staff_see_only_their_own_organisations_purposes_and_filters(client, staff, aadorp, theirs):
    ceedorp = make_organisation("Gemeente Ceedorp")
    ceedorp.staff.add(staff)
    make_doelbinding(aadorp, name="Afvalkalender Aadorp")
    make_doelbinding(ceedorp)

    page = client.get(url("doelbinding")).content.decode()

    assert "Afvalkalender Aadorp" in page
    assert "Parkeervergunning Beedorp" not in page
    assert f"organisation__id__exact={ceedorp.pk}" in page  # the filter lists their own
    assert "Gemeente Beedorp" not in page  # and not the other organisation


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_other_organisations_purpose_by_url_gives_404_and_stays(client, staff, theirs, view):
    response = client.get(url("doelbinding", view, theirs.pk))
    posted = client.post(url("doelbinding", view, theirs.pk), {"description": "Gekaapt"})

    assert (response.status_code, posted.status_code) == (404, 404)
    assert "Parkeervergunning" not in response.content.decode()
    assert Doelbinding.objects.filter(pk=theirs.pk).exists()
    assert theirs.versions.count() == 1


def test_an_object_fetched_outside_the_admin_is_still_refused_to_other_staff(rf, staff, theirs):
    request = rf.get("/beheer/")
    request.user = staff
    consent = give(theirs)

    for obj in (theirs, consent):
        model_admin = site._registry[type(obj)]
        assert model_admin.has_view_permission(request)
        assert not model_admin.has_view_permission(request, obj)
        assert not model_admin.has_change_permission(request, obj)


def test_staff_make_a_draft_with_version_1_for_their_own_organisation_only(
    client, staff, aadorp, beedorp
):
    data = form_data(client.get(url("doelbinding", "add")))
    data.update(organisation=[beedorp.pk], name=["Afvalkalender"], retention=["1 jaar"])
    data.update(description=["Wij mailen u de ophaaldagen."], legal_basis=[LegalBasis.CONSENT])
    data.update(data=[DataField.EMAIL, DataField.PHONE])

    refused = client.post(url("doelbinding", "add"), data)
    made = client.post(url("doelbinding", "add"), data | {"organisation": [aadorp.pk]})

    assert (refused.status_code, made.status_code) == (200, 302)
    doelbinding = Doelbinding.objects.get()
    assert (doelbinding.organisation, doelbinding.status) == (aadorp, DoelbindingStatus.CONCEPT)
    # A proposal by this staff member: nothing uses it until a reviewer approves it.
    version = doelbinding.versions.get()
    assert (version.number, version.name) == (1, "Afvalkalender")
    assert version.fields == {DataField.EMAIL, DataField.PHONE}
    assert (version.review_status, version.proposed_by) == (ReviewStatus.PROPOSED, staff)
    assert doelbinding.current_version is None


def test_a_new_version_only_when_the_text_changes_and_consent_keeps_its_version(
    client, staff, aadorp
):
    doelbinding = make_doelbinding(aadorp)
    first = doelbinding.current_version
    consent = give(doelbinding)
    change = url("doelbinding", "change", doelbinding.pk)

    unchanged = client.post(change, form_data(client.get(change)))
    assert unchanged.status_code == 302
    assert doelbinding.versions.count() == 1

    data = form_data(client.get(change))
    assert data["description"] == [first.description]  # the form starts from the current text
    data["description"] = new_text = ["Wij sturen u een e-mail en een sms als er nieuws is."]
    client.post(change, data)

    assert list(doelbinding.versions.values_list("number", flat=True)) == [1, 2]
    consent.refresh_from_db()
    assert consent.version_id == first.pk
    assert form_data(client.get(change))["description"] == new_text


def test_an_empty_data_choice_gets_its_clear_error(client, staff, aadorp):
    doelbinding = make_doelbinding(aadorp)
    change = url("doelbinding", "change", doelbinding.pk)
    data = form_data(client.get(change))
    del data["data"]
    data["description"] = ["Een nieuwe tekst"]

    response = client.post(change, data)

    assert response.status_code == 200
    assert NO_DATA in response.content.decode()
    assert doelbinding.versions.count() == 1


def test_a_legal_task_without_a_law_gets_its_clear_error(client, staff, aadorp):
    doelbinding = make_doelbinding(aadorp)
    change = url("doelbinding", "change", doelbinding.pk)
    data = form_data(client.get(change))
    data.update(legal_basis=[LegalBasis.LEGAL_TASK], law=[""])

    response = client.post(change, data)

    assert LAW_NEEDED in response.content.decode()
    assert doelbinding.versions.count() == 1


def test_a_change_through_the_admin_is_in_the_audit_trail_with_the_staff_member(
    client, staff, aadorp
):
    doelbinding = make_doelbinding(aadorp)
    change = url("doelbinding", "change", doelbinding.pk)
    data = form_data(client.get(change))
    data.update(valid_until=["31-12-2030"], description=["Nieuwe tekst"])

    client.post(change, data)

    entry = LogEntry.objects.get_for_object(doelbinding).filter(actor=staff).get()
    assert entry.changes["valid_until"] == ["None", "2030-12-31"]
    proposal = doelbinding.versions.order_by("number").last()
    assert LogEntry.objects.get_for_object(proposal).get().actor == staff


def run_action(client, action, doelbindingen, **extra):
    data = {"action": action, "_selected_action": [d.pk for d in doelbindingen], **extra}
    return client.post(url("doelbinding"), data)


def test_staff_activate_a_draft(client, staff, aadorp):
    draft = make_doelbinding(aadorp, status=DoelbindingStatus.CONCEPT)

    response = run_action(client, "activate", [draft])

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == DoelbindingStatus.ACTIVE


def test_withdrawing_asks_for_a_reason_before_anything_changes(client, staff, aadorp):
    doelbinding = make_doelbinding(aadorp)

    asked = run_action(client, "withdraw", [doelbinding])
    assert "Reden van intrekken" in asked.content.decode()
    empty = run_action(client, "withdraw", [doelbinding], apply="yes", reason="  ")
    assert REASON_NEEDED in empty.content.decode()
    assert Doelbinding.objects.get().status == DoelbindingStatus.ACTIVE

    done = run_action(client, "withdraw", [doelbinding], apply="yes", reason="Wet vervallen")

    assert done.status_code == 302
    doelbinding.refresh_from_db()
    assert (doelbinding.status, doelbinding.withdrawn_reason) == ("ingetrokken", "Wet vervallen")


def test_actions_on_another_organisations_purpose_change_nothing(client, staff, theirs):
    run_action(client, "withdraw", [theirs], apply="yes", reason="Sabotage")

    theirs.refresh_from_db()
    assert theirs.status == DoelbindingStatus.ACTIVE


def consent_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_the_export_counts_own_consents_only_and_names_nobody(client, staff, aadorp, theirs):
    ours = make_doelbinding(aadorp, name="Afvalkalender Aadorp")
    stays, leaves, _theirs = give(ours), give(ours), give(theirs)
    consent_withdraw(profile=leaves.profile, doelbinding=ours)

    rows = consent_rows(client.get(url("doelbinding", "export")))

    header = ["organisatie", "doelbinding", "versie", "grondslag", "actieve toestemmingen"]
    consent_basis = "toestemming (AVG art. 6 lid 1 sub a)"
    assert rows == [
        [*header, "ingetrokken toestemmingen"],
        ["Gemeente Aadorp", "Afvalkalender Aadorp", "1", consent_basis, "1", "1"],
    ]
    assert stays.profile.identity.value not in str(rows)


def test_the_export_counts_in_one_query_however_many_purposes(client, staff, aadorp):
    for count in (1, 10):
        while Doelbinding.objects.count() < count:
            make_doelbinding(aadorp)
        with CaptureQueriesContext(connection) as queries:
            rows = consent_rows(client.get(url("doelbinding", "export")))
        assert len(rows) == count + 1
        assert sum("consent_consent" in q["sql"] for q in queries.captured_queries) == 1


def test_the_purpose_list_makes_the_same_queries_for_1_or_10(
    client, staff, aadorp, django_assert_max_num_queries
):
    for count in (1, 10):
        while Doelbinding.objects.count() < count:
            make_doelbinding(aadorp)
        with django_assert_max_num_queries(10):
            response = client.get(url("doelbinding"))
        assert response.content.decode().count('class="action-select"') == count


def test_staff_see_only_their_own_consents_with_the_number_masked(client, staff, aadorp, theirs):
    ours = make_doelbinding(aadorp, name="Afvalkalender Aadorp")
    profile = make_profile()
    mine, other = give(ours, profile), give(theirs)
    bsn = profile.identity.value

    listed = client.get(url("consent")).content.decode()
    shown = client.get(url("consent", "change", mine.pk)).content.decode()
    history = client.get(url("consent", "history", mine.pk)).content.decode()

    for page in (listed, shown):
        assert f"BSN *****{bsn[-4:]}" in page
    for page in (listed, shown, history):
        assert bsn not in page
    assert "Afvalkalender Aadorp" in listed
    assert "Parkeervergunning" not in listed
    assert client.get(url("consent", "change", other.pk)).status_code == 404


@pytest.fixture(params=["staff", "superuser"])
def anyone(request, client, aadorp):
    user = make_staff(aadorp) if request.param == "staff" else make_superuser()
    client.force_login(user)
    return user


def test_nobody_adds_changes_or_deletes_consent_in_the_admin(client, anyone, aadorp):
    doelbinding = make_doelbinding(aadorp)
    consent = give(doelbinding)
    post = {"profile": consent.profile_id, "doelbinding": doelbinding.pk, "channel": "portal"}
    post |= {"version": consent.version_id, "given_at_0": "01-01-2026", "given_at_1": "10:00"}

    assert client.get(url("consent", "add")).status_code == 403
    assert client.post(url("consent", "add"), post).status_code == 403
    change = client.post(url("consent", "change", consent.pk), post | {"withdrawn_at_0": "x"})
    assert change.status_code == 403
    assert client.post(url("consent", "delete", consent.pk), {"post": "yes"}).status_code == 403
    run = client.post(url("consent"), {"action": "delete_selected", "_selected_action": consent.pk})

    assert run.status_code in (200, 302)
    assert list(Consent.objects.values_list("pk", "withdrawn_at")) == [(consent.pk, None)]


def test_a_superuser_gets_the_clear_error_for_an_invalid_oin(client):
    client.force_login(make_superuser())
    data = form_data(client.get(url("organisation", "add")), "organisation_form")
    data.update(name=["Gemeente Fout"], kind=["gemeente"])

    for oin in ("123", "0000000100123456700A", "000000010012345670001"):
        response = client.post(url("organisation", "add"), data | {"oin": [oin]})
        assert response.content.decode().count(BAD_OIN) == 1, oin
    assert not Organisation.objects.exists()
    created = client.post(url("organisation", "add"), data | {"oin": ["00000001001234567000"]})
    assert created.status_code == 302


def test_staff_look_at_their_own_organisation_only_and_cannot_change_it(
    client, staff, aadorp, beedorp
):
    listed = client.get(url("organisation")).content.decode()
    assert "Gemeente Aadorp" in listed
    assert "Gemeente Beedorp" not in listed
    assert client.get(url("organisation", "change", aadorp.pk)).status_code == 200
    assert client.get(url("organisation", "change", beedorp.pk)).status_code == 404

    response = client.post(url("organisation", "change", aadorp.pk), {"name": "Gekaapt"})

    assert response.status_code == 403
    aadorp.refresh_from_db()
    assert aadorp.name == "Gemeente Aadorp"
    assert client.get(url("organisation", "add")).status_code == 403
