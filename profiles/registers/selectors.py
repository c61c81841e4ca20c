"""What the source registers say about the user, for the read-only block on 'Mijn gegevens'.

Each register answer is cached per identity for a few minutes, so the overview does not call
the register on every view, and 'Klopt dit niet?' records exactly the value the user just saw.
"""

from dataclasses import replace
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.shared_cache import cache_get, cache_set
from profiles.choices import IdentityType, Register
from profiles.registers import RegisterUnavailable, brp_client, kvk_client
from profiles.registers.errors import REGISTER_NAMES
from profiles.registers.records import Address, Basisprofiel, Person, Residence
from profiles.selectors import BRANCH_NUMBER

CACHE_SECONDS = 10 * 60

SOURCES = {
    Register.KVK: gettext_lazy("From the Business Register of the KvK"),
    Register.BRP: gettext_lazy("From the Personal Records Database (BRP)"),
}
# Who can correct the data: named in the success message after a terugmelding.
KEEPERS = {
    Register.KVK: gettext_lazy("the Chamber of Commerce (KvK)"),
    Register.BRP: gettext_lazy("your municipality"),
}
NO_REGISTERS = gettext_lazy(
    "You logged in without a Dutch BSN or KvK number. "
    "That is why we show no details from Dutch registers here."
)
NOT_FOUND = gettext_lazy("We found no details about you in %(register)s.")
RESIDENCE_UNKNOWN = gettext_lazy(
    "Unknown. According to the BRP, your municipality does not know where you live."
)


def _cache_key(register: str, number: str) -> str:
    # Keyed hash, not a plain one: 10^9 BSNs are too few to hide behind an unkeyed hash.
    digest = salted_hmac("profiles.register_cache", f"{register}:{number}", algorithm="sha256")
    # The version changes with the shape of the cached records, so a deploy never reads an
    # answer cached by the code before it.
    return f"registers:{register}:v2:{digest.hexdigest()}"


def _answer(register: str, number: str) -> Basisprofiel | Person | None:
    """The register's record (None: it does not know the number), cached for CACHE_SECONDS.

    A failure is not cached: the next view asks again, so the page recovers as soon as the
    register does. RegisterUnavailable goes to the caller.
    """
    key = _cache_key(register, number)
    cached = cache_get(key)
    if cached is not None:
        return cached[0]
    if register == Register.KVK:
        record = kvk_client().basisprofiel(number)
    else:
        record = brp_client().person(number)
        if record is not None:
            # The page never shows the BSN: keep it out of the cache (data minimisation).
            record = replace(record, bsn="")
    # Wrapped in a tuple so that "the register does not know it" is cached too.
    cache_set(key, (record,), CACHE_SECONDS)
    return record


def _register_for(identity) -> str:
    return {IdentityType.KVK: Register.KVK, IdentityType.BSN: Register.BRP}.get(identity.type, "")


def _address(address: Address | Residence | None) -> str:
    if isinstance(address, Residence) and address.unknown:
        return str(RESIDENCE_UNKNOWN)
    return "\n".join(address.lines) if address else ""


def _row(
    register: str, item: str, key: str, value: str, label: str = "", explanation: str = ""
) -> dict:
    query = urlencode({"register": register, "item": item})
    return {
        "item": item,
        "key": key,
        # Says which item when the key alone repeats (every vestiging has a bezoekadres).
        "label": label or key,
        "value": value,
        "explanation": explanation,
        "source": SOURCES[register],
        "report_url": f"{reverse('profiles:terugmelding')}?{query}",
    }


def _kvk_sections(record: Basisprofiel, branch: str) -> list[dict]:
    kvk = Register.KVK
    sections = [
        {
            "title": _("Your business"),
            "lines": [],
            "rows": [
                _row(kvk, "handelsnaam", _("Trade name"), record.handelsnaam),
                _row(kvk, "kvk_nummer", _("KvK number"), record.kvk_nummer),
                _row(kvk, "rechtsvorm", _("Legal form"), record.rechtsvorm),
            ],
        }
    ]
    # The branch the user logged in for comes first, so it is the one they see at once.
    vestigingen = sorted(record.vestigingen, key=lambda v: v.vestigingsnummer != branch)
    for vestiging in vestigingen:
        number = vestiging.vestigingsnummer
        name = vestiging.eerste_handelsnaam or number
        current = bool(branch) and number == branch
        sections.append(
            {
                "title": _("Branch: %(name)s") % {"name": name},
                "marker": _("You are logged in for this branch.") if current else "",
                "lines": [_("This is the main branch.")] if vestiging.is_hoofdvestiging else [],
                "rows": [
                    _row(
                        kvk,
                        f"vestiging:{number}:nummer",
                        _("Branch number"),
                        number,
                        _("Branch number of %(name)s") % {"name": name},
                        BRANCH_NUMBER,
                    ),
                    _row(
                        kvk,
                        f"vestiging:{number}:bezoekadres",
                        _("Visiting address"),
                        _address(vestiging.bezoekadres),
                        _("Visiting address of %(name)s") % {"name": name},
                    ),
                ],
            }
        )
    return sections


def _brp_sections(record: Person) -> list[dict]:
    brp = Register.BRP
    return [
        {
            "title": _("Your personal details"),
            "lines": [],
            "rows": [
                _row(brp, "naam", _("Name"), record.full_name),
                _row(brp, "woonadres", _("Home address"), _address(record.verblijfplaats)),
            ],
        }
    ]


def _sections(register: str, identity) -> list[dict] | None:
    """None when the register does not know the identity; raises RegisterUnavailable."""
    record = _answer(register, identity.value)
    if record is None:
        return None
    if register == Register.KVK:
        return _kvk_sections(record, identity.branch)
    return _brp_sections(record)


def register_blocks(profile) -> list[dict]:
    """One block per register that knows this identity; a notice instead when it cannot."""
    identity = profile.identity
    register = _register_for(identity)
    if not register:
        return [{"register": "", "notice": str(NO_REGISTERS), "notice_kind": "info"}]
    block = {"register": register, "source": SOURCES[register], "sections": []}
    try:
        sections = _sections(register, identity)
    except RegisterUnavailable as exc:
        return [block | {"notice": exc.user_message, "notice_kind": "warning"}]
    if sections is None:
        notice = NOT_FOUND % {"register": REGISTER_NAMES[register]}
        return [block | {"notice": notice, "notice_kind": "info"}]
    return [block | {"sections": sections}]


def register_item(profile, *, register: str, item: str) -> dict | None:
    """The item as the overview shows it now, looked up again on the server.

    None when this identity has no such register or item; raises RegisterUnavailable.
    """
    identity = profile.identity
    if not register or register != _register_for(identity):
        return None
    sections = _sections(register, identity) or []
    rows = (row for section in sections for row in section["rows"])
    found = next((row for row in rows if row["item"] == item), None)
    if found is None:
        return None
    return found | {
        "register": register,
        "keeper": KEEPERS[register],
        # Stands in for a version number: the form carries it, so a value that changed in the
        # register after the page was shown is not reported under the old one.
        "fingerprint": salted_hmac(
            "profiles.terugmelding", found["value"], algorithm="sha256"
        ).hexdigest()[:32],
    }
