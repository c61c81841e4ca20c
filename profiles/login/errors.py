"""What the user reads when a login does not work: what happened, and what to do now."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class LoginProblem:
    title: Promise
    body: Promise
    status: int = 400
    try_again: bool = True


PROBLEMS = {
    "cancelled": LoginProblem(
        _("You stopped logging in"),
        _("You are not logged in. Do you want to log in after all? Choose how below."),
        status=200,
    ),
    "broker_unavailable": LoginProblem(
        _("Logging in does not work right now"),
        _(
            "The login service did not answer in time. This is not your fault. "
            "Please try again in a few minutes."
        ),
        status=503,
    ),
    "state_mismatch": LoginProblem(
        _("Your login took too long or was started twice"),
        _(
            "For your safety we stopped this login. This can happen when you log in in two "
            "browser tabs at once, or use the back button. Please log in again."
        ),
    ),
    "invalid_token": LoginProblem(
        _("We could not check your login"),
        _(
            "The login service sent an answer we cannot trust. For your safety you are not "
            "logged in. Please try again. Does this keep happening? Contact us."
        ),
    ),
    "token_rejected": LoginProblem(
        _("We could not finish your login"),
        _("The login service did not accept our request. Please log in again."),
    ),
    "missing_identifier": LoginProblem(
        _("We did not get your number"),
        _(
            "The login service did not send your BSN, KvK number or other number. Without it "
            "we cannot show your details. Please try again. Does this keep happening? "
            "Contact us."
        ),
    ),
    "invalid_identifier": LoginProblem(
        _("We got a number that is not right"),
        _(
            "The login service sent a number that is not a valid BSN or KvK number. "
            "For your safety you are not logged in. Please contact us."
        ),
    ),
    "rsin_only": LoginProblem(
        _("Your organisation logged in without a KvK number"),
        _(
            "This portal works with the KvK number of your business. Your eHerkenning login "
            "only gave an RSIN. Ask the person who manages eHerkenning in your organisation "
            "for a login with the KvK number. Do you have a sole proprietorship "
            "(eenmanszaak)? Then log in with DigiD."
        ),
        status=403,
    ),
    "unknown_level": LoginProblem(
        _("We do not know how secure your login is"),
        _(
            "The login service did not tell us how secure your login was. For your safety "
            "you are not logged in. Please try again."
        ),
    ),
    "level_too_low": LoginProblem(
        _("You need a more secure login for this"),
        _(
            "To change your details you need a more secure way of logging in, for example "
            "the DigiD app with an ID check, or eHerkenning level 3. Log in again at that "
            "level."
        ),
        status=403,
    ),
    "other_identity": LoginProblem(
        _("You logged in as someone else"),
        _(
            "You logged in again with another DigiD or for another company. For your safety "
            "we logged you out. Please log in again."
        ),
        status=403,
    ),
    "broker_error": LoginProblem(
        _("Logging in did not work"),
        _("The login service stopped your login. Please try again."),
    ),
    "too_many_starts": LoginProblem(
        _("Too many logins started"),
        _(
            "Someone on your internet connection started logging in many times in a short "
            "time. Wait a minute. Then log in again."
        ),
        status=429,
    ),
    "invalid_request": LoginProblem(
        _("This login link does not work"),
        _("This link is not complete or was already used. Please log in again."),
    ),
}
