"""The notifications app's part of the organisation API: submit a message, see how it went.

Submitting hands no contact data to the organisation: the portal routes the message along the
person's own choices, each channel through may_process (notifications.intake.services).
"""

from datetime import datetime
from typing import Literal, NoReturn

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from consent.api.endpoints import REFUSALS, Identificatie, identificatie_valid, refusal_log
from consent.api.selectors import doelbinding_with_current_version
from consent.api.test_persons import recipient_for_test_person
from consent.choices import LegalBasis, Reason
from consent.gate import Decision
from consent.ldv import Trace
from consent.models import Doelbinding
from core.api_problems import ApiProblem, ProblemCode
from core.api_schemas import RequestSchema
from notifications.delivery.services import delivery_status_for
from notifications.intake.services import REPLAYED, IntakeRefused, notification_submit
from notifications.models import Notification
from profiles.models import Identity

router = Router(tags=["meldingen"])

# MessageKind without the portal's own security notices.
SENDABLE = Literal["ontvangstbevestiging", "statuswijziging", "besluit", "actie_nodig"]


# An https URL with a host name, a subset of what Django's URLValidator takes (intake's check),
# so the document says which links are accepted.
LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
LINK_PATTERN = rf"^https://({LABEL}\.)+[A-Za-z]{{2,63}}(/[A-Za-z0-9._~!$&'()*+,;=:@%/?#-]*)?$"
# At least one character that is not white space, so the subject is not empty once the intake
# makes it one line (message_content). Python's str.split also splits on the separators
# U+001C-U+001F, which Unicode's White_Space (\s for pydantic's regex) leaves out. A pattern of
# its own replaces the document's NO_NUL (config/api_openapi.py), so it excludes NUL as well.
SUBJECT_PATTERN = r"^[^\u0000]*[^\s\u001c-\u001f\u0000][^\u0000]*$"


def read_back_link(operation_id: str, parameter: str) -> dict:
    """OpenAPI links from a created resource to reading it back (for clients and schemathesis)."""
    link = {
        "operationId": operation_id,
        "parameters": {parameter: "$response.body#/id"},
        "description": "Read it back by its id.",
    }
    return {"responses": {code: {"links": {operation_id: link}} for code in (200, 201)}}


class MeldingIn(RequestSchema):
    ontvanger: Identificatie
    doelbinding: int = Field(description="One of your organisation's purposes.")
    soort: SENDABLE
    onderwerp: str = Field(
        min_length=1,
        max_length=200,
        pattern=SUBJECT_PATTERN,
        description="One line; runs of white space become one space.",
    )
    tekst: str = Field(min_length=1, max_length=5000, description="The message, in B1 Dutch.")
    link: str | None = Field(None, max_length=200, pattern=LINK_PATTERN)
    zaakkenmerk: str | None = Field(None, max_length=100, description="Your case reference.")
    idempotentieSleutel: str = Field(
        min_length=1,
        max_length=100,
        description="Your unique key for this message: sending it again changes nothing.",
    )


# Every state a delivery can be in (notifications.choices.DeliveryStatus), with its meaning.
BEZORGSTATUS = Literal["queued", "sending", "sent", "retrying", "failed"]
BEZORGSTATUS_TEXT = (
    "queued: waiting to be sent. sending: being sent now; if it stays so, a stopped worker "
    "left it uncertain whether it arrived, and staff check and decide. sent: delivered to the "
    "inbox, handed to the mail or SMS service, or to the post. retrying: a passing failure; "
    "tried again at volgendePogingOp. failed: not delivered; reden says why."
)


class Bezorging(Schema):
    kanaal: Literal["inbox", "email", "sms", "post"]
    status: BEZORGSTATUS = Field(description=BEZORGSTATUS_TEXT)
    pogingen: int
    reden: str | None = Field(None, description="Why it failed or was refused.")
    verzondenOp: datetime | None = None
    volgendePogingOp: datetime | None = None


class MeldingUit(Schema):
    id: int
    ontvangen: Literal["accepted", "replayed", "duplicate"] | None = None
    duplicaatVan: int | None = Field(
        None, description="Same case and kind as this earlier message: nothing sent again."
    )
    bezorgingen: list[Bezorging]


@router.post(
    "/meldingen",
    response={201: MeldingUit, 200: MeldingUit, 403: None, 404: None, 409: None},
    summary="Send a message to an ondernemer or burger",
    operation_id="meldingVersturen",
    openapi_extra=read_back_link("meldingOphalen", "melding_id"),
)
def melding_versturen(request, melding: MeldingIn):
    refuse = _Refusal(request, melding.ontvanger)
    if not identificatie_valid(melding.ontvanger):
        raise invalid_identifier("ontvanger")
    organisation = request.api_client.organisation
    doelbinding = _own_doelbinding(organisation, melding.doelbinding, request.api_client.pk)
    if doelbinding is None:
        refuse(None, Reason.WRONG_ORGANISATION)
    if not doelbinding.for_client:
        refuse(doelbinding, Reason.PURPOSE_NOT_FOR_CLIENT)
    recipient = _recipient(melding.ontvanger, doelbinding, refuse)
    try:
        result = notification_submit(
            organisation=organisation,
            doelbinding=doelbinding,
            recipient=recipient,
            kind=melding.soort,
            subject=melding.onderwerp,
            body=melding.tekst,
            link=melding.link or "",
            case_reference=melding.zaakkenmerk or "",
            idempotency_key=melding.idempotentieSleutel,
            api_client=request.api_client,
        )
    except IntakeRefused as refused:
        if refused.code == ProblemCode.IDEMPOTENCY_KEY_REUSED:
            raise key_reused_problem() from refused
        refuse(doelbinding, refused.code)
    except ValidationError as invalid:
        raise invalid_message_problem(invalid) from invalid
    status = 200 if result.status == REPLAYED else 201
    return Status(status, _out(result.notification, received=result.status))


@router.get(
    "/meldingen/{melding_id}",
    response={200: MeldingUit, 404: None},
    summary="How a message you sent was delivered",
    operation_id="meldingOphalen",
)
def melding_ophalen(request, melding_id: int):
    notification = Notification.objects.filter(
        pk=melding_id, organisation=request.api_client.organisation
    ).first()
    if notification is None:
        raise ApiProblem(404, "Not found", "Your organisation sent no message with this id.")
    return _out(notification)


INVALID_IDENTIFIER = "This is not a valid number of this type."


def invalid_identifier(name: str) -> ApiProblem:
    """A number that fails the elfproef or has the wrong length: 400, as a read answers it."""
    problem = ApiProblem(
        400, "Invalid input", INVALID_IDENTIFIER, code=ProblemCode.INVALID_IDENTIFIER
    )
    problem.invalid_params = [{"name": name, "reason": INVALID_IDENTIFIER}]
    return problem


def _refusal(code: str) -> str:
    return REFUSALS.get(code, (403, "This message is not accepted."))[1]


class _Refusal:
    """Refuse the message: log it for the person first (LDV), as a refused read is logged,
    then answer with the problem. The portal looked the number up for the organisation, so
    the person sees the attempt on "Wie heeft mijn gegevens gebruikt?"."""

    def __init__(self, request, ontvanger: Identificatie):
        self.request, self.ontvanger = request, ontvanger
        self.started = timezone.now()
        self.trace = Trace.from_header(request.headers.get("traceparent", ""))

    def __call__(self, doelbinding: Doelbinding | None, reason: str) -> NoReturn:
        version = doelbinding.current_version if doelbinding else None
        decision = Decision(False, reason, version_id=version.pk if version else None)
        refusal_log(
            self.request,
            [self.ontvanger],
            doelbinding,
            decision,
            trace=self.trace,
            started=self.started,
        )
        if reason == Reason.NOT_FOUND:
            raise ApiProblem(
                404, "Not found", "There is no profile for this identifier.", code=reason
            )
        raise ApiProblem(403, "Not allowed", _refusal(reason), code=reason)


def key_reused_problem() -> ApiProblem:
    """409 for an idempotency key used before with another message (one or many people)."""
    return ApiProblem(
        409,
        "Conflict",
        "This idempotency key was used before for another message. Use a new key.",
        code=ProblemCode.IDEMPOTENCY_KEY_REUSED,
    )


def invalid_message_problem(invalid: ValidationError) -> ApiProblem:
    """400 with each field the intake refused in invalidParams."""
    problem = ApiProblem(
        400, "Invalid input", "The message is not valid.", code=ProblemCode.INVALID
    )
    problem.invalid_params = [
        {"name": name, "reason": " ".join(str(m) for m in messages)}
        for name, messages in invalid.message_dict.items()
    ]
    return problem


def _own_doelbinding(organisation, doelbinding_id: int, client_id: int) -> Doelbinding | None:
    """The caller's own purpose, with its current text and whether this client may use it
    (`for_client`) read in the same query."""
    doelbinding = doelbinding_with_current_version(doelbinding_id, client_id)
    if doelbinding is None or doelbinding.organisation_id != organisation.pk:
        return None
    doelbinding.organisation = organisation
    return doelbinding


def _recipient(identificatie: Identificatie, doelbinding: Doelbinding, refuse: _Refusal):
    key = (identificatie.type, identificatie.nummer, identificatie.vestigingsnummer or "")
    if refuse.request.api_client.is_test:
        # Only a documented test person (consent.api.test_persons); any other number is unknown.
        profile = recipient_for_test_person(key, doelbinding)
    else:
        identity = (
            Identity.objects.select_related("profile")
            .lookup(type=key[0], value=key[1], branch=key[2])
            .first()
        )
        profile = identity.profile if identity is not None else None
        if profile is not None and profile.is_test:
            profile = None  # a test person is nobody to a live client
    if profile is not None:
        return profile
    # As with reads: for a consent purpose, whether someone uses the portal is theirs to share.
    current = doelbinding.current_version
    if current is not None and current.legal_basis == LegalBasis.CONSENT:
        refuse(doelbinding, Reason.NO_CONSENT)
    refuse(doelbinding, Reason.NOT_FOUND)


def _out(notification: Notification, *, received: str | None = None) -> dict:
    state = delivery_status_for(notification)
    return {
        "id": notification.pk,
        "ontvangen": received,
        "duplicaatVan": state.duplicate_of_id,
        "bezorgingen": [
            {
                "kanaal": d.channel,
                "status": d.status,
                "pogingen": d.attempts,
                "reden": d.last_error or None,
                "verzondenOp": d.sent_at,
                "volgendePogingOp": d.next_attempt_at,
            }
            for d in state.deliveries
        ],
    }
