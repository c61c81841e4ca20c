"""Whose fault a failed send is: the transport's (the mail server, the SMS gateway) or the
recipient's. core.smtp.smtp_fault and core.sms.SmsDeliveryFailed.fault answer with a SendFault.

    transport  the relay or gateway itself failed (no connection, a timeout, TLS, a 4xx for the
               whole transaction, a 5xx from the gateway): the next message would fail alike,
               and it is nobody's fault but ours to wait for. Callers pause all sending on
               that transport and do not count the try.
    passing    trying this message again later may help (always so for the transport).
    uncertain  the message was handed over completely and the answer never came: the other
               side may have taken it. Sending it again could deliver it twice.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SendFault:
    code: str
    transport: bool
    passing: bool
    uncertain: bool = False

    @classmethod
    def of_transport(cls, code: str, *, uncertain: bool = False) -> "SendFault":
        return cls(code=code[:200], transport=True, passing=True, uncertain=uncertain)

    @classmethod
    def of_recipient(cls, code: str, *, passing: bool) -> "SendFault":
        return cls(code=code[:200], transport=False, passing=passing)
