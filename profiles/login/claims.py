"""From the broker's claims to an identity, an acting person and a level of assurance.

Every way a login can fail here has a reason code: the error page, the log line and the audit
record all use it.
"""

from dataclasses import dataclass

from django.conf import settings

from profiles.choices import IdentityType, LoginMethod
from profiles.validators import is_kvk_number, is_vestigingsnummer, passes_elfproef


class LoginError(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class LoginClaims:
    identity_type: str
    value: str
    branch: str
    acting_person: str
    level: str
    display_name: str = ""


def claims_to_login(method: str, claims: dict) -> LoginClaims:
    names = settings.OIDC_CLAIMS
    level = settings.OIDC_LOA_MAP.get(str(claims.get(names["loa"], "")), "")
    if not level:
        raise LoginError("unknown_level", f"level {claims.get(names['loa'])!r} is not mapped")
    if method == LoginMethod.DIGID:
        return _digid(claims, names, level)
    if method == LoginMethod.EHERKENNING:
        return _eherkenning(claims, names, level)
    if method == LoginMethod.EIDAS:
        return _eidas(claims, names, level)
    raise LoginError("unknown_method", method)


def _text(claims: dict, name: str) -> str:
    value = claims.get(name)
    return str(value).strip() if value is not None else ""


def _digid(claims, names, level) -> LoginClaims:
    bsn = _text(claims, names["bsn"])
    if not bsn:
        raise LoginError("missing_identifier", "no BSN")
    if not passes_elfproef(bsn):
        raise LoginError("invalid_identifier", "BSN fails the elfproef")
    return LoginClaims(IdentityType.BSN, bsn, "", "", level)


def _eherkenning(claims, names, level) -> LoginClaims:
    number = _text(claims, names["legal_subject"])
    qualifier = _text(claims, names["legal_subject_qualifier"])
    if not number:
        # Simpler brokers send plain claims instead of the eToegang URNs.
        number, qualifier = _text(claims, names["kvk"]), settings.OIDC_QUALIFIER_KVK
        if not number and _text(claims, names["rsin"]):
            number, qualifier = _text(claims, names["rsin"]), settings.OIDC_QUALIFIER_RSIN
    if not number:
        raise LoginError("missing_identifier", "no legal subject")
    if qualifier == settings.OIDC_QUALIFIER_RSIN:
        raise LoginError("rsin_only", "legal subject is an RSIN")
    if not is_kvk_number(number):
        raise LoginError("invalid_identifier", "KvK number is not 8 digits")
    branch = _text(claims, names["vestigingsnummer"]) or _text(
        claims, names["vestigingsnummer_plain"]
    )
    if branch and not is_vestigingsnummer(branch):
        raise LoginError("invalid_identifier", "branch number is not 12 digits")
    acting = _text(claims, names["acting_subject"]) or _text(claims, names["acting_subject_plain"])
    return LoginClaims(IdentityType.KVK, number, branch, acting, level)


def _eidas(claims, names, level) -> LoginClaims:
    pseudonym = _text(claims, names["eidas_pseudonym"])
    if not pseudonym:
        raise LoginError("missing_identifier", "no eIDAS pseudonym")
    if len(pseudonym) > 128:
        raise LoginError("invalid_identifier", "eIDAS pseudonym too long")
    name = " ".join(p for p in (_text(claims, "given_name"), _text(claims, "family_name")) if p)
    return LoginClaims(IdentityType.EIDAS, pseudonym, "", "", level, display_name=name)
