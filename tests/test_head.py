"""Every page that answers GET answers HEAD the same way, without a body (monitoring, link
checkers and some proxies ask with HEAD). The organisation API is no page: its GET endpoints
answer what its OpenAPI document lists."""

import pytest

from tests.support.urls import every_path

pytestmark = pytest.mark.django_db


def test_head_answers_as_get_does_on_every_address(client):
    differ = []
    for path in every_path():
        if path.startswith("/api/profielen/v1/") and not path.endswith("/docs"):
            continue
        got, head = client.get(path), client.head(path)
        if head.status_code != got.status_code or head.content:
            differ.append((path, got.status_code, head.status_code))

    assert not differ


def test_head_on_the_home_page_is_allowed(client):
    assert client.head("/").status_code == 200
