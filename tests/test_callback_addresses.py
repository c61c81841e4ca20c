"""Callback addresses cannot reach the portal's own network (SSRF), at registration and send."""

import pytest

from consent.choices import LegalBasis
from notifications.callbacks.addresses import AddressRefused, check_address
from notifications.callbacks.models import CallbackEndpoint, CallbackMessage, CallbackState
from notifications.callbacks.services import callbacks_dispatch
from tests.factories import make_doelbinding, make_organisation
from tests.support.api import ApiCaller
from tests.test_callbacks import CALLBACKS, Receiver, register, send_message

PRIVATE = [
    "https://127.0.0.1/hook",  # loopback
    "https://127.8.9.10/hook",
    "https://10.1.2.3/hook",  # RFC 1918
    "https://172.16.0.1/hook",
    "https://172.31.255.254/hook",
    "https://192.168.1.10/hook",
    "https://169.254.169.254/latest/meta-data",  # link-local: cloud metadata
    "https://100.64.0.1/hook",  # shared address space (carrier-grade NAT)
    "https://0.0.0.0/hook",
    "https://192.0.0.1/hook",  # IETF protocol assignments
    "https://198.18.0.1/hook",  # benchmarking
    "https://224.0.0.1/hook",  # multicast
    "https://240.0.0.1/hook",  # reserved
    "https://[::1]/hook",
    "https://[fe80::1]/hook",  # IPv6 link-local
    "https://[fc00::1]/hook",  # IPv6 unique local
    "https://[::ffff:10.0.0.1]/hook",  # IPv4-mapped private
    "https://[::ffff:127.0.0.1]/hook",
    "https://[2002:a00:1::]/hook",  # 6to4 around 10.0.0.1
    "https://localhost/hook",  # a name that resolves to loopback
    "https://LOCALHOST:8443/hook",
]


@pytest.mark.parametrize("url", PRIVATE)
def test_a_private_loopback_or_link_local_address_is_refused(url, settings):
    settings.CALLBACKS_ALLOW_LOCAL = False
    with pytest.raises(AddressRefused, match="private or local"):
        check_address(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://93.184.216.34/hook", "https://"),
        ("ftp://93.184.216.34/hook", "https://"),
        ("https://user:pw@93.184.216.34/hook", "user name"),
        ("https:///hook", "host name"),
        ("https://93.184.216.34:99999/hook", "port"),
        ("https://naam-die-niet-bestaat.invalid/hook", "cannot be found"),
    ],
)
def test_other_unusable_addresses_say_why(url, reason, settings):
    settings.CALLBACKS_ALLOW_LOCAL = False
    with pytest.raises(AddressRefused, match=reason):
        check_address(url)


def test_a_public_address_passes_and_keeps_its_path_and_query(settings):
    settings.CALLBACKS_ALLOW_LOCAL = False
    target = check_address("https://93.184.216.34:8443/hooks/moz?systeem=zaken")

    assert (target.ip, target.port, target.path) == (
        "93.184.216.34",
        8443,
        "/hooks/moz?systeem=zaken",
    )


@pytest.mark.django_db
def test_the_api_refuses_a_private_address_with_the_reason(client, settings):
    settings.CALLBACKS_ALLOW_LOCAL = False
    api = ApiCaller.for_organisation(client, make_organisation())

    response = api.post(CALLBACKS, {"url": "https://169.254.169.254/latest"})

    assert response.status_code == 400
    [param] = response.json()["invalidParams"]
    assert param["name"] == "url" and "private or local" in param["reason"]
    assert not CallbackEndpoint.objects.exists()


@pytest.mark.django_db
def test_an_address_is_checked_again_when_sending(client, settings):
    # Registered while local addresses were allowed (development); no longer allowed now, as
    # when a public name has since been pointed at an internal address: nothing is sent.
    settings.CALLBACKS_ALLOW_LOCAL = True
    settings.CALLBACK_RETRY_BASE_SECONDS = 0
    receiver = Receiver().start()
    try:
        organisation = make_organisation()
        api = ApiCaller.for_organisation(client, organisation)
        register(api, receiver.url)
        send_message(api, make_doelbinding(organisation, legal_basis=LegalBasis.LEGAL_TASK))
        settings.CALLBACKS_ALLOW_LOCAL = False

        callbacks_dispatch()

        assert receiver.received == []
        results = {m.last_result for m in CallbackMessage.objects.all()}
        assert results and all(r.startswith("refused: ") for r in results)
        assert CallbackMessage.objects.filter(state=CallbackState.PENDING).exists()
    finally:
        receiver.stop()
