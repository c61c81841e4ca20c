"""{% cached_url %} gives what {% url %} gives (issue 17: reversed once per process instead of
on every use), also under another script prefix and for what it does not keep; and
core/kept_urls.reverse_kept, which selectors use for the same."""

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.kept_urls import reverse_kept


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load cached_urls %}" + source).render(context)


@pytest.fixture(autouse=True)
def script_prefix():
    yield
    set_script_prefix("/")


@pytest.mark.parametrize("name", ["home", "profiles:logout", "notifications:inbox"])
def test_a_url_without_arguments_is_the_reversed_one(name):
    assert render(f"{{% cached_url '{name}' %}}") == reverse(name)
    assert render(f"{{% cached_url '{name}' %}}") == reverse(name)  # the kept one


@pytest.mark.parametrize("number", [0, 7, 465, 918273, 12345678901])
def test_a_url_with_a_number_is_the_reversed_one(number):
    url = render("{% cached_url 'notifications:message' number %}", number=number)
    assert url == reverse("notifications:message", args=[number])


def test_the_script_prefix_is_kept_apart():
    before = render("{% cached_url 'notifications:message' 3 %} {% cached_url 'home' %}")
    set_script_prefix("/portaal/")
    after = render("{% cached_url 'notifications:message' 3 %} {% cached_url 'home' %}")
    assert before == "/berichten/3 /"
    assert after == "/portaal/berichten/3 /portaal/"


def test_a_url_whose_argument_is_not_a_number_is_reversed_each_time():
    for _ in range(2):
        assert render("{% cached_url 'profiles:login_start' 'digid' %}") == reverse(
            "profiles:login_start", args=["digid"]
        )
    with pytest.raises(NoReverseMatch):
        render("{% cached_url 'notifications:message' -1 %}")
    with pytest.raises(NoReverseMatch):
        render("{% cached_url 'notifications:message' '3x' %}")


def test_as_gives_a_variable_as_url_does():
    assert render("{% cached_url 'home' as url %}<a href='{{ url }}'>") == "<a href='/'>"


@pytest.mark.parametrize("path", ["js/error-summary.js", "img/favicon.svg"])
def test_a_static_url_is_what_static_gives(path):
    source = f"{{% cached_static '{path}' %}}"
    assert render(source) == render(f"{{% load static %}}{{% static '{path}' %}}")
    assert render(source) == render(source)


@pytest.mark.parametrize("slug", ["e-mailadres", "telefoonnummer"])
def test_a_url_with_a_written_argument_is_the_reversed_one_per_script_prefix(slug):
    url = reverse("profiles:contact_change", args=[slug])
    assert reverse_kept("profiles:contact_change", slug) == url
    assert reverse_kept("profiles:contact_change", slug) == url  # the kept one
    set_script_prefix("/portaal/")
    assert reverse_kept("profiles:contact_change", slug) == f"/portaal{url}"
