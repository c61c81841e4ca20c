"""Changing the postal address over HTTP: where, the Dutch address from BAG or a foreign one,
the check step and the save, against the real broker and the demo BAG."""

import re

import pytest

from profiles.models import PostalAddress

pytestmark = pytest.mark.django_db

START = "/mijn-gegevens/postadres"
CHECK = "/mijn-gegevens/postadres/controleren"
OVERVIEW = "/mijn-gegevens"


def text(response) -> str:
    return response.content.decode()


def hidden(response, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', text(response))
    assert match, f"no hidden {name} on the page"
    return match[1]


def start(client, where: str = "nederland") -> str:
    """Answer the first question; returns the URL of the next step."""
    page = client.get(START)
    response = client.post(START, {"where": where, "seen_version": hidden(page, "seen_version")})
    assert response.status_code == 302
    return response["Location"]


def look_up(client, postcode: str, number: str, letter: str = "", addition: str = ""):
    url = start(client)
    data = {
        "postcode": postcode,
        "huisnummer": number,
        "huisletter": letter,
        "toevoeging": addition,
    }
    return url, client.post(url, data)


def save(client, check_url: str):
    page = client.get(check_url)
    return client.post(check_url, {"seen_version": hidden(page, "seen_version")})


def radio_value(response, label: str) -> str:
    match = re.search(rf'value="([^"]+)"[^>]*>\s*{re.escape(label)}', text(response))
    assert match, f"no option {label}"
    return match[1]


# --- a Dutch address ---------------------------------------------------------------------


def test_one_bag_match_goes_straight_to_the_check_and_then_shows_on_the_overview(client, login):
    profile = login()

    _url, found = look_up(client, "3511 AB", "100")

    assert found.status_code == 302
    assert found["Location"].startswith(f"{CHECK}?wijziging=")
    check = client.get(found["Location"])
    assert "Controleer uw nieuwe postadres" in text(check)
    assert "Oudegracht 100<br>3511 AB Utrecht" in text(check)
    assert "Niet ingevuld" in text(check)  # there was no postal address yet
    saved = save(client, found["Location"])
    assert saved.status_code == 302
    assert saved["Location"] == OVERVIEW
    overview = client.get(OVERVIEW)
    assert "We hebben uw nieuwe postadres opgeslagen." in text(overview)
    assert "Oudegracht 100<br>3511 AB Utrecht" in text(overview)
    address = PostalAddress.objects.get(profile=profile)
    assert (address.country, address.street, address.house_number, address.postcode) == (
        "NL",
        "Oudegracht",
        "100",
        "3511AB",
    )
    assert (address.city, address.bag_id, address.version) == ("Utrecht", "0344010000000100", 1)


def test_several_addresses_at_one_number_let_the_user_choose_one(client, login):
    profile = login()

    _url, found = look_up(client, "1234AB", "1")

    assert found["Location"].startswith("/mijn-gegevens/postadres/kies?wijziging=")
    choose_url = found["Location"]
    choose = client.get(choose_url)
    for option in ("Hoofdstraat 1, ", "Hoofdstraat 1A, ", "Hoofdstraat 1-bis, "):
        assert option in text(choose)
    nothing = client.post(choose_url, {})
    assert nothing.status_code == 200
    assert "Kies uw adres uit de lijst" in text(nothing)
    assert 'href="#id_address_0"' in text(nothing)
    chosen = client.post(
        choose_url, {"address": radio_value(choose, "Hoofdstraat 1-bis, 1234 AB Voorbeeldstad")}
    )
    assert chosen["Location"].startswith(f"{CHECK}?wijziging=")
    assert "Hoofdstraat 1-bis<br>1234 AB Voorbeeldstad" in text(client.get(chosen["Location"]))
    save(client, chosen["Location"])
    address = PostalAddress.objects.get(profile=profile)
    assert (address.house_number, address.house_letter, address.addition) == ("1", "", "bis")
    assert address.bag_id == "0999010000000003"


def test_a_house_letter_narrows_the_bag_answer_to_one_address(client, login):
    login()

    _url, found = look_up(client, "1234 ab", "1", letter="a")

    assert found["Location"].startswith(f"{CHECK}?")
    assert "Hoofdstraat 1A<br>1234 AB Voorbeeldstad" in text(client.get(found["Location"]))


def test_a_lower_case_postcode_without_space_is_accepted(client, login):
    login()

    _url, found = look_up(client, "1234ab", "2")

    assert "Hoofdstraat 2<br>1234 AB Voorbeeldstad" in text(client.get(found["Location"]))


def test_going_back_from_the_check_keeps_what_the_user_filled_in(client, login):
    login()
    nl_url, found = look_up(client, "3511ab", "102")

    check = client.get(found["Location"])
    assert f'href="{nl_url}"' in text(check)  # back link and "Wijzigen" go to the step before
    again = client.get(nl_url)
    assert 'value="3511 AB"' in text(again)
    assert 'value="102"' in text(again)


def test_no_address_at_the_postcode_says_so_and_keeps_the_input(client, login):
    login()

    _url, response = look_up(client, "9999 AA", "5")

    assert response.status_code == 200
    page = text(response)
    assert "We hebben geen adres gevonden bij deze postcode en dit huisnummer." in page
    assert "Controleer de postcode en het huisnummer." in page
    assert 'href="#id_postcode"' in page
    assert 'value="9999 AA"' in page
    assert 'value="5"' in page
    assert not PostalAddress.objects.exists()


def test_no_address_with_the_letter_given_asks_to_check_what_was_filled_in(client, login):
    login()

    _url, response = look_up(client, "3511 AB", "100", letter="C")

    assert "dit huisnummer en deze huisletter of toevoeging" in text(response)
    assert 'value="C"' in text(response)


def test_when_bag_is_down_the_page_says_try_later_and_keeps_the_input(client, login, settings):
    login()
    settings.REGISTER_BAG_BACKEND = "demo-down"

    _url, response = look_up(client, "3511 AB", "100")

    assert response.status_code == 200
    page = text(response)
    assert "We kunnen het adres nu niet opzoeken. Probeer het later opnieuw." in page
    assert 'value="3511 AB"' in page
    assert 'value="100"' in page
    assert "<h1>Uw adres in Nederland</h1>" in page
    assert not PostalAddress.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"postcode": ""}, "postcode", "Vul uw postcode in, bijvoorbeeld 1234 AB"),
        (
            {"postcode": "123 AB"},
            "postcode",
            "Vul een postcode in met 4 cijfers en 2 letters, bijvoorbeeld 1234 AB",
        ),
        (
            {"postcode": "0123 AB"},
            "postcode",
            "Vul een postcode in met 4 cijfers en 2 letters, bijvoorbeeld 1234 AB",
        ),
        (
            {"postcode": "1234 A1"},
            "postcode",
            "Vul een postcode in met 4 cijfers en 2 letters, bijvoorbeeld 1234 AB",
        ),
        ({"huisnummer": ""}, "huisnummer", "Vul uw huisnummer in, bijvoorbeeld 12"),
        (
            {"huisnummer": "12a"},
            "huisnummer",
            "Vul het huisnummer in met alleen cijfers, bijvoorbeeld 12",
        ),
        ({"huisnummer": "0"}, "huisnummer", "Vul een huisnummer in van 1 tot en met 99999"),
        ({"huisnummer": "100000"}, "huisnummer", "Vul een huisnummer in van 1 tot en met 99999"),
        ({"huisletter": "AB"}, "huisletter", "Vul bij huisletter 1 letter in, bijvoorbeeld A"),
        (
            {"toevoeging": "12345"},
            "toevoeging",
            "Vul bij toevoeging hoogstens 4 letters of cijfers in, bijvoorbeeld 2 of bis",
        ),
        (
            {"toevoeging": "b-1"},
            "toevoeging",
            "Vul bij toevoeging hoogstens 4 letters of cijfers in, bijvoorbeeld 2 of bis",
        ),
    ],
)
def test_wrong_postcode_or_number_gets_a_clear_message_and_keeps_the_input(
    client, login, data, field, message
):
    login()
    url = start(client)
    posted = {"postcode": "3511 AB", "huisnummer": "100", "huisletter": "", "toevoeging": ""}
    posted |= data

    response = client.post(url, posted)

    assert response.status_code == 200
    page = text(response)
    assert "<title>Fout:" in page
    assert "Er ging iets mis" in page  # the error summary
    assert f'<a href="#id_{field}">{message}</a>' in page
    assert re.search(rf'<input[^>]*name="{field}"[^>]*aria-invalid="true"', page)
    for name, value in posted.items():
        if value:
            assert f'value="{value}"' in page, name
    assert not PostalAddress.objects.exists()


# --- a foreign address -------------------------------------------------------------------


def test_a_foreign_address_is_saved_with_its_country(client, login):
    profile = login()
    url = start(client, "buitenland")
    assert url.startswith("/mijn-gegevens/postadres/buitenland?wijziging=")
    form = client.get(url)
    assert 'autocomplete="country"' in text(form)
    assert '<option value="NL"' not in text(form)
    for country in ("België", "Duitsland", "Verenigd Koninkrijk", "Marokko", "Suriname"):
        assert country in text(form)

    response = client.post(
        url, {"lines": "  Rue de la Loi 16\r\n\r\n1000 Bruxelles  ", "country": "BE"}
    )

    assert response["Location"].startswith(f"{CHECK}?")
    check = client.get(response["Location"])
    assert "Rue de la Loi 16<br>1000 Bruxelles<br>België" in text(check)
    save(client, response["Location"])
    address = PostalAddress.objects.get(profile=profile)
    assert (address.country, address.foreign_lines) == ("BE", "Rue de la Loi 16\n1000 Bruxelles")
    assert (address.postcode, address.bag_id) == ("", "")
    overview = client.get(OVERVIEW)
    assert "We hebben uw nieuwe postadres opgeslagen." in text(overview)
    assert "Rue de la Loi 16" in text(overview)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"lines": ""}, "lines", "Vul uw adres in"),
        ({"lines": "Rue de la Loi 16"}, "lines", "Schrijf het adres op minstens 2 regels."),
        (
            {"lines": "Rue de la Loi 16\n" + "B" * 61},
            "lines",
            "Regel 2 is te lang. Gebruik hoogstens 60 tekens op elke regel.",
        ),
        ({"lines": "\n".join("abcdefg")}, "lines", "Schrijf het adres op hoogstens 6 regels."),
        ({"country": ""}, "country", "Kies het land"),
        ({"country": "NL"}, "country", "Kies een land uit de lijst."),
        ({"country": "XX"}, "country", "Kies een land uit de lijst."),
    ],
)
def test_a_wrong_foreign_address_gets_a_clear_message_and_keeps_the_input(
    client, login, data, field, message
):
    login()
    url = start(client, "buitenland")
    posted = {"lines": "Rue de la Loi 16\n1000 Bruxelles", "country": "BE"} | data

    response = client.post(url, posted)

    assert response.status_code == 200
    page = text(response)
    assert re.search(rf'<a href="#id_{field}">{re.escape(message)}', page)
    assert posted["lines"].split("\n")[0] in page
    assert not PostalAddress.objects.exists()


# --- two changes at once -----------------------------------------------------------------


def test_saving_a_stale_check_page_shows_both_addresses_and_lets_the_user_choose(client, login):
    profile = login()
    _url, first = look_up(client, "3511 AB", "100")
    stale_check = client.get(first["Location"])  # tab 1 waits on the check page
    _url, second = look_up(client, "3511 AB", "102")  # tab 2 does a whole change
    save(client, second["Location"])

    response = client.post(first["Location"], {"seen_version": hidden(stale_check, "seen_version")})

    assert response.status_code == 409
    page = text(response)
    assert "Uw postadres is intussen gewijzigd" in page
    assert "Oudegracht 102<br>3511 AB Utrecht" in page  # now
    assert "Oudegracht 100<br>3511 AB Utrecht" in page  # theirs
    assert PostalAddress.objects.get(profile=profile).house_number == "102"
    assert 'href="/mijn-gegevens">Het adres van nu houden' in page
    # "Mijn wijziging opslaan" replaces the address there is now, knowingly.
    action = re.search(r'<form method="post" action="([^"]+)"', page)[1]
    retry = client.post(
        action.replace("&amp;", "&"), {"seen_version": hidden(response, "seen_version")}
    )
    assert retry["Location"] == OVERVIEW
    address = PostalAddress.objects.get(profile=profile)
    assert (address.house_number, address.version) == ("100", 2)


# --- access ------------------------------------------------------------------------------

STEPS = [
    START,
    "/mijn-gegevens/postadres/nederland",
    "/mijn-gegevens/postadres/kies",
    "/mijn-gegevens/postadres/buitenland",
    CHECK,
]


@pytest.mark.parametrize("path", STEPS)
def test_an_anonymous_visitor_gets_the_login_page(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen?next=")


def test_a_login_below_the_change_level_steps_up_first(client, login):
    login(level="midden")

    response = client.get(START)

    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/digid?")
    assert "level=substantieel" in response["Location"]


@pytest.mark.parametrize("path", STEPS[1:])
def test_a_later_step_without_a_started_change_starts_again(client, login, path):
    login()

    response = client.get(f"{path}?wijziging=unknown")

    assert response.status_code == 302
    assert response["Location"] == START


def test_the_check_page_makes_a_constant_number_of_queries(
    client, login, django_assert_max_num_queries
):
    login()
    _url, found = look_up(client, "3511 AB", "100")
    save(client, found["Location"])
    _url, found = look_up(client, "3511 AB", "102")

    with django_assert_max_num_queries(7):
        page = client.get(found["Location"])

    assert page.status_code == 200
