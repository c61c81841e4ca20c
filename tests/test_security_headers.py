import pytest

PAGES = ["/", "/inloggen", "/hulp", "/privacy", "/toegankelijkheid", "/bestaat-niet", "/healthz"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_security_headers_are_on_every_page(client, path, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(path, secure=True)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_a_form_sent_without_a_valid_token_gets_a_clear_page_and_nothing_happens():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/uitloggen")
    assert response.status_code == 403
    assert "Wij konden uw formulier niet verwerken" in response.content.decode()
