"""The consent app's part of the organisation API: contact details for a purpose, and purposes.

Every read asks may_process, then writes a processing record (LDV) before any data leaves.
"""

from datetime import date, datetime
from typing import Literal

from django.db.models import Prefetch
from django.utils import timezone
from ninja import Field, Router, Schema

from consent.api.details import contact_details_out
from consent.api.selectors import active_consents, doelbinding_with_current_version
from consent.api.test_persons import consents_for_test_persons
from consent.choices import LegalBasis, Reason, ReviewStatus
from consent.clients.volume import volume_counted
from consent.gate import Decision, may_process
from consent.ldv import LogUnavailable, Trace, processing_records_write, subject_pseudonym
from consent.models import Doelbinding, DoelbindingVersion
from core.api_problems import ApiProblem, ProblemCode
from core.api_schemas import RequestSchema
from profiles.sharing import shareable_by_identity
from profiles.test_persons import shareable_for_test_persons
from profiles.validators import is_kvk_number, is_vestigingsnummer, passes_elfproef

router = Router(tags=["contactgegevens"])

MAX_BULK = 100
REFUSALS = {
    Reason.WRONG_ORGANISATION: (403, "This purpose belongs to another organisation."),
    Reason.ORGANISATION_INACTIVE: (403, "Your organisation is not active."),
    Reason.NOT_ACTIVE: (403, "This purpose is not active."),
    Reason.NOT_YET_VALID: (403, "This purpose is not valid yet."),
    Reason.EXPIRED: (403, "This purpose is no longer valid."),
    Reason.FIELDS_NOT_COVERED: (403, "This purpose does not cover these data."),
    Reason.NO_CONSENT: (403, "The person has not given consent for this purpose."),
    Reason.PURPOSE_NOT_FOR_CLIENT: (
        403,
        "This API client may not use this purpose (yet). Your organisation adds it to the client, "
        "and someone else confirms that.",
    ),
}


# --- schemas ------------------------------------------------------------------------------------


class Identificatie(RequestSchema):
    type: Literal["bsn", "kvk", "rsin"] = Field(description="The kind of number.")
    # The patterns tell callers the shape; the elfproef and the length per type are checked
    # per number, so one wrong number in a bulk read does not spoil the others.
    nummer: str = Field(
        description="BSN or RSIN: 9 digits passing the elfproef; KvK-nummer: 8 digits.",
        pattern=r"^[0-9]{8,9}$",
    )
    vestigingsnummer: str | None = Field(
        None, description="12 digits: one branch of a KvK-nummer.", pattern=r"^[0-9]{12}$"
    )


class ZoekVraag(RequestSchema):
    identificatie: Identificatie
    doelbinding: int = Field(description="The id of one of your organisation's purposes.")


class BulkVraag(RequestSchema):
    identificaties: list[Identificatie] = Field(min_length=1, max_length=MAX_BULK)
    doelbinding: int


class Contactgegeven(Schema):
    waarde: str
    geverifieerdOp: datetime = Field(description="When the person confirmed it.")


class Postadres(Schema):
    land: str = Field(description="ISO 3166-1 alpha-2 country code.")
    regels: list[str] = Field(description="The address as written on an envelope.")
    postcode: str | None = None
    huisnummer: str | None = None
    gewijzigdOp: datetime


class Contactgegevens(Schema):
    identificatie: Identificatie
    doelbinding: int
    doelbindingVersie: int
    emailadres: Contactgegeven | None = None
    telefoonnummer: Contactgegeven | None = None
    postadres: Postadres | None = None
    contactvoorkeur: Literal["digitaal", "post"] | None = None


class BulkResultaat(Schema):
    identificatie: Identificatie
    status: int = Field(description="200, or the status a single read would have answered.")
    code: str | None = Field(None, description="Why not, when status is not 200.")
    gegevens: Contactgegevens | None = None


class BulkAntwoord(Schema):
    volledig: bool = Field(description="False when some identifiers gave no data.")
    resultaten: list[BulkResultaat]


class DoelbindingUit(Schema):
    id: int
    naam: str
    versie: int
    status: str
    grondslag: Literal["wettelijke_taak", "toestemming"]
    wet: str
    gegevens: list[str]
    geldigVanaf: date | None = Field(None, json_schema_extra={"format": "date"})
    geldigTot: date | None = Field(None, json_schema_extra={"format": "date"})


# --- endpoints -----------------------------------------------------------------------------------


@router.post(
    "/contactgegevens/_zoek",
    response={200: Contactgegevens, 403: None, 404: None},
    summary="Contact details of one ondernemer or burger, for one purpose",
    operation_id="contactgegevensZoeken",
)
def contactgegevens_zoeken(request, vraag: ZoekVraag):
    results = _read(request, [vraag.identificatie], vraag.doelbinding)
    result = results[0]
    if result.status != 200:
        problem = ApiProblem(
            result.status, _title(result.status), _detail(result.code), code=result.code
        )
        if result.status == 400:
            problem.invalid_params = [{"name": "identificatie", "reason": _detail(result.code)}]
        raise problem
    return result.gegevens


@router.post(
    "/contactgegevens/_bulk",
    response={200: BulkAntwoord, 403: None},
    summary=f"Contact details of at most {MAX_BULK} ondernemers or burgers, for one purpose",
    operation_id="contactgegevensBulkZoeken",
)
def contactgegevens_bulk(request, vraag: BulkVraag):
    results = _read(request, vraag.identificaties, vraag.doelbinding)
    return {"volledig": all(r.status == 200 for r in results), "resultaten": results}


@router.get(
    "/doelbindingen",
    response={200: list[DoelbindingUit]},
    summary="Your organisation's purposes",
    operation_id="doelbindingenOphalen",
)
def doelbindingen(request):
    # Only the purposes this client may use, each with its approved texts.
    rows = (
        Doelbinding.objects.filter(
            organisation=request.api_client.organisation,
            client_links__api_client=request.api_client,
            client_links__confirmed_at__isnull=False,
        )
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=DoelbindingVersion.objects.filter(
                    review_status=ReviewStatus.APPROVED
                ).order_by("number"),
            )
        )
        .order_by("pk")
    )
    out = []
    for doelbinding in rows:
        version = doelbinding.current_version
        if version is None:
            continue
        out.append(
            {
                "id": doelbinding.pk,
                "naam": version.name,
                "versie": version.number,
                "status": doelbinding.status,
                "grondslag": version.legal_basis,
                "wet": version.law,
                "gegevens": sorted(version.fields),
                "geldigVanaf": doelbinding.valid_from,
                "geldigTot": doelbinding.valid_until,
            }
        )
    return out


# --- the read itself ---------------------------------------------------------------------------


def _title(status: int) -> str:
    return {400: "Invalid input", 403: "Not allowed", 404: "Not found"}.get(status, "Error")


def _detail(code: str) -> str:
    if code == Reason.NOT_FOUND:
        return "There is no profile for this identifier."
    if code == ProblemCode.INVALID_IDENTIFIER:
        return "This is not a valid number of this type."
    return REFUSALS.get(code, (403, "Not allowed."))[1]


def _own_doelbinding(request, doelbinding_id: int) -> Doelbinding | None:
    """The caller's own purpose with its current text, or None. `for_client` says whether this
    API client may use it."""
    doelbinding = doelbinding_with_current_version(doelbinding_id, request.api_client.pk)
    organisation = request.api_client.organisation
    if doelbinding is None or doelbinding.organisation_id != organisation.pk:
        return None
    doelbinding.organisation = organisation
    return doelbinding


def _valid(identificatie: Identificatie) -> bool:
    # str.isdigit() also takes superscripts and other scripts' digits; the checks assume 0-9.
    if not (identificatie.nummer + (identificatie.vestigingsnummer or "")).isascii():
        return False
    if identificatie.type in ("bsn", "rsin"):
        return passes_elfproef(identificatie.nummer) and not identificatie.vestigingsnummer
    return is_kvk_number(identificatie.nummer) and (
        identificatie.vestigingsnummer is None
        or is_vestigingsnummer(identificatie.vestigingsnummer)
    )


# For the notifications router (the same answer to an invalid number as a read gives).
identificatie_valid = _valid


def _read(request, identificaties: list[Identificatie], doelbinding_id: int) -> list[BulkResultaat]:
    started = timezone.now()
    trace = Trace.from_header(request.headers.get("traceparent", ""))

    doelbinding = _own_doelbinding(request, doelbinding_id)
    if doelbinding is None:
        refused = Decision(False, Reason.WRONG_ORGANISATION)
        refusal_log(request, identificaties, None, refused, trace=trace, started=started)
        # Another organisation's purpose, or none: the same answer, so nothing is revealed.
        raise ApiProblem(
            403,
            "Not allowed",
            REFUSALS[Reason.WRONG_ORGANISATION][1],
            code=Reason.WRONG_ORGANISATION,
        )
    if not doelbinding.for_client:
        _refuse_before_reading(
            request, identificaties, doelbinding, Reason.PURPOSE_NOT_FOR_CLIENT, trace, started
        )
    counted = volume_counted(
        client=request.api_client,
        doelbinding=doelbinding,
        people=sum(1 for i in identificaties if _valid(i)),
    )
    if not counted.allowed:
        _refuse_before_reading(
            request, identificaties, doelbinding, Reason.DAILY_VOLUME_EXCEEDED, trace, started
        )
        raise counted.problem()
    organisation = request.api_client.organisation
    version = doelbinding.current_version
    wanted = version.fields if version else frozenset()
    keys = {_key(i) for i in identificaties if _valid(i)}
    if request.api_client.is_test:  # only the documented test persons, never a real one
        shareable = shareable_for_test_persons(keys)
        consents = consents_for_test_persons(version, shareable)
    else:
        shareable = {k: s for k, s in shareable_by_identity(keys).items() if not s.profile.is_test}
        consents = {}
    if version and version.legal_basis == LegalBasis.CONSENT and not request.api_client.is_test:
        consents = active_consents(doelbinding.pk, [s.profile.pk for s in shareable.values()])
    decided = []  # (identificatie, identity, decision); None decision: not a valid number
    for identificatie in identificaties:
        if not _valid(identificatie):
            decided.append((identificatie, None, None))
            continue
        found = shareable.get(_key(identificatie))
        decision = (
            _unknown_subject(organisation, doelbinding, wanted)
            if found is None
            else may_process(
                organisation,
                doelbinding,
                found.profile,
                wanted,
                consent=consents.get(found.profile.pk),
            )
        )
        decided.append((identificatie, found, decision))
    _log(request, trace, started, doelbinding, decided)
    return [_result(entry, doelbinding, version) for entry in decided]


def _refuse_before_reading(request, identificaties, doelbinding, reason, trace, started) -> None:
    """Refused for the client's own sake, before any person is looked up: logged for each
    number all the same. Raises the 403 itself; for the daily limit the caller raises a 429."""
    version = doelbinding.current_version
    refused = Decision(False, reason, version_id=version.pk if version else None)
    refusal_log(request, identificaties, doelbinding, refused, trace=trace, started=started)
    if reason == Reason.PURPOSE_NOT_FOR_CLIENT:
        raise ApiProblem(403, "Not allowed", REFUSALS[reason][1], code=reason)


def refusal_log(
    request,
    identificaties: list[Identificatie],
    doelbinding: Doelbinding | None,
    decision: Decision,
    *,
    trace: Trace,
    started,
) -> None:
    """A refused request is logged too, one record per valid number, before it is answered:
    receiving someone's number is already processing it, and the person sees the attempt.
    doelbinding is None when the caller named a purpose that is not its own."""
    asked = [(i, None, decision) for i in identificaties if _valid(i)]
    _log(request, trace, started, doelbinding, asked)


def _log(request, trace, started, doelbinding: Doelbinding | None, decided: list) -> None:
    """All records of one request in one statement, before any data leaves: all are logged,
    or none is and nothing is given (503). A test client's requests are about test persons
    only (consent.api.test_persons): nobody to write a record for."""
    if request.api_client.is_test:
        return
    try:
        processing_records_write(
            trace=trace,
            organisation=request.api_client.organisation,
            doelbinding=doelbinding,
            api_client=request.api_client,
            entries=[
                (i.type, subject_pseudonym(*_key(i)), decision)
                for i, _found, decision in decided
                if decision is not None
            ],
            started_at=started,
        )
    except LogUnavailable as exc:
        raise ApiProblem(
            503,
            "Service unavailable",
            "The processing could not be logged, so no data is given. Try again later.",
            code=Reason.LOG_UNAVAILABLE,
        ) from exc


def _key(identificatie: Identificatie) -> tuple[str, str, str]:
    return (identificatie.type, identificatie.nummer, identificatie.vestigingsnummer or "")


def _result(entry, doelbinding, version) -> BulkResultaat:
    identificatie, found, decision = entry
    if decision is None:
        return BulkResultaat(
            identificatie=identificatie, status=400, code=ProblemCode.INVALID_IDENTIFIER
        )
    if not decision.allowed:
        status = 404 if decision.reason == Reason.NOT_FOUND else 403
        return BulkResultaat(identificatie=identificatie, status=status, code=decision.reason)
    return BulkResultaat(
        identificatie=identificatie,
        status=200,
        gegevens=contact_details_out(identificatie, doelbinding, version, decision, found),
    )


def _unknown_subject(organisation, doelbinding: Doelbinding, wanted) -> Decision:
    """No profile: the purpose's own rules first, so a refused purpose reveals nobody.

    For a consent purpose this looks like 'no consent': whether someone uses the portal is
    itself something only the person may share.
    """
    decision = may_process(organisation, doelbinding, None, wanted, consent=None)
    if decision.allowed:
        return Decision(False, Reason.NOT_FOUND, version_id=decision.version_id)
    return decision
