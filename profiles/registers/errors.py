"""The one error a page has to handle when a source register cannot answer."""

import logging

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("profiles.registers")

KVK = "kvk"
BRP = "brp"
BAG = "bag"

REGISTER_NAMES = {
    KVK: _("the Business Register (KvK)"),
    BRP: _("the Personal Records Database (BRP)"),
    BAG: _("the address register (BAG)"),
}

UNAVAILABLE_MESSAGE = _(
    "We cannot get your details from %(register)s right now. Please try again later."
)


class RegisterUnavailable(Exception):
    """The register did not answer usably: down, slow, a server error or an unreadable answer.

    "Not found" is not this error: clients return None or an empty list for that.
    """

    def __init__(self, register: str, reason: str = "unavailable"):
        self.register = register
        self.reason = reason
        super().__init__(f"source register {register} unavailable ({reason})")

    @property
    def user_message(self) -> str:
        return UNAVAILABLE_MESSAGE % {"register": REGISTER_NAMES.get(self.register, self.register)}


def unavailable(
    register: str, reason: str, *, config_fault: bool = False, **detail
) -> RegisterUnavailable:
    """Log once, in one shape, and hand back the error to raise.

    Only the register, a reason code and details such as the status and the register's own
    error code are logged: never the identifier that was asked for (a BSN is personal data) and
    never the URL, which may contain it. A `config_fault` (a wrong base URL, a refused client)
    will not pass by itself, so it is logged as an error for the operator.
    """
    logger.log(
        logging.ERROR if config_fault else logging.WARNING,
        "Source register %s unavailable: %s",
        register,
        reason,
        extra={"register": register, "reason": reason, **detail},
    )
    return RegisterUnavailable(register, reason)
