"""The session with the mail relay (core/smtp.py) against a real SMTP server: STARTTLS or TLS
from the start with the relay's certificate and name checked, the login, and a new session when
the relay hung up on an idle one; and the notifications sent through it as EMAIL_URL says."""

import smtplib
import ssl
import time

import environ
import pytest
from aiosmtpd.smtp import AuthResult

from core.smtp import RelaySettings, SmtpRelay
from notifications.choices import Channel, DeliveryStatus
from notifications.delivery.sending import close_mail_connection
from tests.factories import make_organisation, make_profile
from tests.support.notifications import confirmed, legal_task, submit
from tests.support.smtp import smtp_server
from tests.support.smtp_certificates import make_certificates

SENDER = "noreply@mijnomgevingzakelijk.example"
MESSAGE = (
    b"From: noreply@mijnomgevingzakelijk.example\r\nTo: j.jansen@voorbeeld.nl\r\n"
    b"Subject: Uw aanvraag\r\n\r\nWij hebben uw aanvraag ontvangen.\r\n"
)


@pytest.fixture
def certificates(tmp_path):
    return make_certificates(tmp_path, "localhost")


@pytest.fixture
def trusted(certificates, monkeypatch):
    """This process trusts the test's authority, as a relay's authority is trusted in production
    (OpenSSL reads SSL_CERT_FILE when the TLS context is made)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.authority))
    return certificates


class Logins:
    """An aiosmtpd authenticator that knows one user, and remembers who tried."""

    def __init__(self, user: str, password: str):
        self.known, self.tried = (user.encode(), password.encode()), []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.tried.append(auth_data.login.decode())
        known = (auth_data.login, auth_data.password) == self.known
        return AuthResult(success=known, handled=False)  # aiosmtpd answers 235 or 535


def send_one(relay: SmtpRelay, to: str = "j.jansen@voorbeeld.nl") -> None:
    try:
        relay.send(SENDER, [to], MESSAGE)
    finally:
        relay.close()


def test_mail_goes_over_starttls_after_logging_in(trusted):
    logins = Logins("portal", "geheim")
    secure = {"tls_context": trusted.server_context(), "require_starttls": True}
    with smtp_server(**secure, auth_required=True, authenticator=logins) as server:
        relay = RelaySettings("localhost", server.port, "portal", "geheim", use_tls=True)
        send_one(SmtpRelay(relay))

    assert [item.envelope_to for item in server.received] == [["j.jansen@voorbeeld.nl"]]
    assert server.messages[0]["Subject"] == "Uw aanvraag"
    assert logins.tried == ["portal"]


def test_mail_goes_over_tls_from_the_start(trusted):
    with smtp_server(ssl_context=trusted.server_context()) as server:
        send_one(SmtpRelay(RelaySettings("localhost", server.port, use_ssl=True, timeout=5)))

    assert len(server.received) == 1


@pytest.mark.parametrize(
    ("host", "trust"),
    [("localhost", False), ("127.0.0.1", True)],
    ids=["certificate-of-an-unknown-authority", "certificate-for-another-name"],
)
def test_no_mail_and_no_password_go_to_a_relay_that_cannot_prove_who_it_is(
    certificates, monkeypatch, host, trust
):
    if trust:
        monkeypatch.setenv("SSL_CERT_FILE", str(certificates.authority))
    logins = Logins("portal", "geheim")
    secure = {"tls_context": certificates.server_context(), "require_starttls": True}
    with smtp_server(**secure, auth_required=True, authenticator=logins) as server:
        relay = RelaySettings(host, server.port, "portal", "geheim", use_tls=True, timeout=5)
        with pytest.raises(ssl.SSLCertVerificationError):
            send_one(SmtpRelay(relay))

    assert server.received == [] and logins.tried == []


def test_a_refused_login_is_the_relays_answer(trusted):
    logins = Logins("portal", "geheim")
    secure = {"tls_context": trusted.server_context(), "require_starttls": True}
    with smtp_server(**secure, auth_required=True, authenticator=logins) as server:
        relay = RelaySettings("localhost", server.port, "portal", "oud-wachtwoord", use_tls=True)
        with pytest.raises(smtplib.SMTPAuthenticationError) as refused:
            send_one(SmtpRelay(relay))

    assert refused.value.smtp_code == 535
    assert server.received == []


def test_after_the_relay_hung_up_on_an_idle_session_the_next_message_opens_a_new_one():
    with smtp_server(timeout=0.3) as server:  # the relay closes a session idle for 0.3 s
        relay = SmtpRelay(RelaySettings(server.host, server.port), idle_check_seconds=0.1)
        relay.send(SENDER, ["a@voorbeeld.nl"], MESSAGE)
        time.sleep(0.8)
        relay.send(SENDER, ["b@voorbeeld.nl"], MESSAGE)  # NOOP finds it gone: a new session

        # Without asking first, the message would meet the closed session.
        unchecked = SmtpRelay(RelaySettings(server.host, server.port), idle_check_seconds=60)
        unchecked.send(SENDER, ["c@voorbeeld.nl"], MESSAGE)
        time.sleep(0.8)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            unchecked.send(SENDER, ["d@voorbeeld.nl"], MESSAGE)
        relay.close()
        unchecked.close()

    assert [item.envelope_to[0] for item in server.received] == [
        "a@voorbeeld.nl",
        "b@voorbeeld.nl",
        "c@voorbeeld.nl",
    ]


# --- the portal's e-mail through the relay that EMAIL_URL names --------------------------------


@pytest.fixture
def fresh_connection():
    close_mail_connection()  # the worker thread's session with another test's relay
    yield
    close_mail_connection()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "outcome"),
    [
        ("geheim", (DeliveryStatus.SENT, "")),
        # A refused login is the relay's setting, not the recipient's: sending pauses.
        ("oud", (DeliveryStatus.RETRYING, "paused_smtp")),
    ],
    ids=["login-accepted", "login-refused"],
)
def test_notifications_go_to_the_relay_of_email_url_with_starttls_and_its_login(
    trusted, settings, fresh_connection, password, outcome
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    gemeente, person = make_organisation("Gemeente Testdorp"), make_profile()
    confirmed(person, value="j.jansen@voorbeeld.nl")
    logins = Logins("portal", "geheim")
    secure = {"tls_context": trusted.server_context(), "require_starttls": True}
    with smtp_server(**secure, auth_required=True, authenticator=logins) as server:
        url = f"smtp+tls://portal:{password}@localhost:{server.port}"
        for name, value in environ.Env.email_url_config(url).items():
            setattr(settings, name, value)
        result = submit(gemeente, legal_task(gemeente), person)

    email = result.notification.deliveries.get(channel=Channel.EMAIL)
    assert (email.status, email.last_error) == outcome
    assert len(server.received) == (outcome[0] == DeliveryStatus.SENT)
