"""Staff logging in at /beheer/ in a real browser, with the keyboard only, axe on every step:
the password, then the authenticator's code (issue 13). Without the second factor no admin
page opens: a wrong code is refused, and an account without one must set it up first."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django_otp.plugins.otp_totp.models import TOTPDevice
from maykin_2fa.test import get_valid_totp_token

from tests.support.keyboard import press_on, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Lang-Genoeg-Wachtwoord-8123"


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


def staff_member(username="medewerker", *, device=True):
    user = User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    if device:
        TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def type_into(page, locator, text: str) -> None:
    tab_to(page, locator)
    page.keyboard.type(text)


def password_step(page, axe, username: str) -> None:
    page.goto("/beheer/")
    page.wait_for_url(re.compile(r"/beheer/login/\?next="))
    assert axe(page) == []
    type_into(page, page.locator("#id_auth-username"), username)
    type_into(page, page.locator("#id_auth-password"), PASSWORD)
    press_on(page, page.get_by_role("button", name="Inloggen"))


def test_staff_log_in_with_password_and_code_by_keyboard(page, axe):
    user = staff_member()

    password_step(page, axe, "medewerker")

    code = page.locator("#id_token-otp_token")
    code.wait_for()
    assert axe(page) == []
    type_into(page, code, get_valid_totp_token(user))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == "/beheer/")
    assert page.locator("#user-tools").is_visible()
    assert axe(page) == []


def test_a_wrong_code_keeps_the_admin_closed(page, axe):
    user = staff_member()
    password_step(page, axe, "medewerker")
    code = page.locator("#id_token-otp_token")
    code.wait_for()
    wrong = f"{(int(get_valid_totp_token(user)) + 1) % 1_000_000:06d}"

    type_into(page, code, wrong)
    page.keyboard.press("Enter")

    page.locator(".errorlist, .errornote").first.wait_for()
    assert "/beheer/login/" in page.url
    assert axe(page) == []
    page.goto("/beheer/auth/user/")
    assert "/beheer/login/" in page.url


def test_staff_without_a_second_factor_must_set_one_up_before_any_admin_page(page, axe):
    staff_member("nieuw", device=False)

    password_step(page, axe, "nieuw")

    page.wait_for_url(re.compile(r"/beheer/mfa/setup/"))
    assert axe(page) == []
    page.goto("/beheer/")
    assert "/beheer/login/" in page.url
