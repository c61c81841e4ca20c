"""Whose fault a failed send is (core.send_faults), told from what a real SMTP server (aiosmtpd)
and a real HTTP SMS gateway answer: the transport's (pause everything, count no try) or the
recipient's (today's retry and fail)."""

import asyncio

import pytest

from core.send_faults import SendFault
from core.sms import HttpSmsGateway, SmsDeliveryFailed
from core.smtp import RelaySettings, SmtpRelay, smtp_fault
from tests.support.http_peer import http_peer, unused_port
from tests.support.smtp import smtp_server

SENDER, RECIPIENT = "noreply@test.example", "j.jansen@voorbeeld.nl"
MESSAGE = b"Subject: Test\r\nMessage-ID: <1@test.example>\r\n\r\nHallo.\r\n.begint met een punt\r\n"


def transport(code: str, *, uncertain: bool = False) -> SendFault:
    return SendFault.of_transport(code, uncertain=uncertain)


def recipient(code: str, *, passing: bool) -> SendFault:
    return SendFault.of_recipient(code, passing=passing)


def fault_of_sending(server, *, timeout: float = 5) -> SendFault | None:
    relay = SmtpRelay(RelaySettings(server.host, server.port, timeout=timeout))
    try:
        relay.send(SENDER, [RECIPIENT], MESSAGE)
    except Exception as error:
        return smtp_fault(error)
    finally:
        relay.close()
    return None


def answering(hook: str, reply: str, *, delay: float = 0):
    """An aiosmtpd hook that answers `reply` (after `delay` seconds) at that step."""

    async def handle(server, session, envelope, *args):
        if delay:
            await asyncio.sleep(delay)
        return reply

    return hook, handle


@pytest.mark.parametrize(
    ("hook", "reply", "fault"),
    [
        # The relay for everyone: at the sender, for the one recipient without a mailbox code,
        # for the message, or "closing" at any step.
        ("handle_MAIL", "421 4.3.2 Service shutting down", transport("smtp_421")),
        ("handle_MAIL", "451 4.3.0 Try again later", transport("smtp_451")),
        ("handle_MAIL", "550 5.7.1 Sender not allowed", transport("smtp_550")),
        ("handle_RCPT", "421 4.3.2 Closing", transport("smtp_recipient_refused_421")),
        ("handle_RCPT", "451 4.3.0 Queue full", transport("smtp_recipient_refused_451")),
        ("handle_RCPT", "451 Try again later", transport("smtp_recipient_refused_451")),
        ("handle_DATA", "451 4.3.0 Try again later", transport("smtp_451")),
        ("handle_DATA", "421 4.3.2 Closing", transport("smtp_421")),
        # That recipient: a 5xx for it or its message, a 4xx about its mailbox.
        (
            "handle_RCPT",
            "550 5.1.1 No such user",
            recipient("smtp_recipient_refused_550", passing=False),
        ),
        (
            "handle_RCPT",
            "450 4.2.1 Mailbox busy",
            recipient("smtp_recipient_refused_450", passing=True),
        ),
        ("handle_DATA", "554 5.6.0 Message refused", recipient("smtp_554", passing=False)),
        ("handle_DATA", "452 4.2.2 Mailbox full", recipient("smtp_452", passing=True)),
    ],
)
def test_what_the_relay_answers_says_whose_fault_it_is(hook, reply, fault):
    with smtp_server() as server:
        setattr(server, *answering(hook, reply))
        assert fault_of_sending(server) == fault
        assert server.received == []


def test_a_relay_that_is_not_there_is_the_transport():
    class Gone:
        host, port = "127.0.0.1", unused_port()

    assert fault_of_sending(Gone()) == transport("smtp_ConnectionRefusedError")


def test_no_answer_before_the_message_went_is_the_transport_and_surely_not_delivered():
    with smtp_server() as server:
        server.handle_RCPT = answering("handle_RCPT", "250 OK", delay=2)[1]
        assert fault_of_sending(server, timeout=0.3) == transport("smtp_SMTPServerDisconnected")


def test_no_answer_after_the_whole_message_went_is_uncertain():
    """The relay got every line and did not answer in time: it may have taken the message."""
    with smtp_server() as server:
        accept = server.handle_DATA

        async def slow(smtp, session, envelope):
            await accept(smtp, session, envelope)
            await asyncio.sleep(2)
            return "250 OK"

        server.handle_DATA = slow
        assert fault_of_sending(server, timeout=0.3) == transport(
            "smtp_no_answer_to_message", uncertain=True
        )
        assert len(server.received) == 1  # here it did


def test_a_message_goes_over_the_wire_as_sendmail_would_send_it():
    with smtp_server() as server:
        assert fault_of_sending(server) is None
        [received] = server.received
    assert received.envelope_to == [RECIPIENT]
    assert received.message["Message-ID"] == "<1@test.example>"
    # The line that starts with a dot went doubled, and the server took one off again.
    assert received.message.get_content() == "Hallo.\r\n.begint met een punt\r\n"


def test_after_a_refused_recipient_the_session_carries_the_next_message():
    with smtp_server() as server:

        async def handle_RCPT(smtp, session, envelope, address, options):
            if address == "weg@voorbeeld.nl":
                return "550 5.1.1 No such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        server.handle_RCPT = handle_RCPT
        relay = SmtpRelay(RelaySettings(server.host, server.port, timeout=5))
        with pytest.raises(Exception) as refused:
            relay.send(SENDER, ["weg@voorbeeld.nl"], MESSAGE)
        relay.send(SENDER, [RECIPIENT], MESSAGE)
        relay.close()
    assert smtp_fault(refused.value).transport is False
    assert [r.envelope_to for r in server.received] == [[RECIPIENT]]


# --- the SMS gateway ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "fault"),
    [
        (503, transport("sms_server_error")),
        (500, transport("sms_server_error")),
        (429, transport("sms_throttled")),
        (401, transport("sms_gateway_refused")),
        (403, transport("sms_gateway_refused")),
        (400, recipient("sms_rejected", passing=False)),
        (422, recipient("sms_rejected", passing=False)),
    ],
)
def test_what_the_sms_gateway_answers_says_whose_fault_it_is(status, fault):
    with http_peer(lambda request: (status, {"error": "no"}, 0)) as provider:
        url = f"http://127.0.0.1:{provider.server_address[1]}/sms"
        gateway = HttpSmsGateway(url=url, api_key="key", timeout=2)
        with pytest.raises(SmsDeliveryFailed) as failed:
            gateway.send(to="+31612345678", text="Uw code is 493817.")
    assert failed.value.fault == fault


def test_an_sms_gateway_that_is_not_there_or_too_slow_is_the_transport():
    with http_peer(lambda request: (200, {"id": "late"}, 1)) as provider:
        slow = f"http://127.0.0.1:{provider.server_address[1]}/sms"
        gone = f"http://127.0.0.1:{unused_port()}/sms"
        faults = []
        for url in (slow, gone):
            with pytest.raises(SmsDeliveryFailed) as failed:
                HttpSmsGateway(url=url, api_key="key", timeout=0.3).send(
                    to="+31612345678", text="Uw code is 493817."
                )
            faults.append(failed.value.fault)
    assert faults == [transport("sms_timeout"), transport("sms_connection_error")]
