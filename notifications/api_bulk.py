"""One message to many people through the organisation API: bulkmeldingen.

A POST accepts one text for up to NOTIFICATION_BULK_MAX_RECIPIENTS people and answers per
person; GET reads the batch back (accepted, duplicate, refused by reason, delivered per channel
and status). Each person goes through the same intake as a single message
(notifications.intake.batches → notification_submit_bulk): the same gate, the same
deduplication, the same delivery and processing records. A refusal is logged for the person
before the answer, as for a single message; the whole request is one transaction, so the
messages and the log of refusals are stored together or not at all.
"""

from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from consent.api.endpoints import Identificatie, identificatie_valid, refusal_log
from consent.api.test_persons import recipient_for_test_person
from consent.choices import Reason
from consent.gate import Decision
from consent.ldv import Trace
from core.api_problems import ApiProblem, ProblemCode
from core.api_schemas import RequestSchema
from notifications.api import (
    BEZORGSTATUS,
    BEZORGSTATUS_TEXT,
    LINK_PATTERN,
    SENDABLE,
    SUBJECT_PATTERN,
    _own_doelbinding,
    _refusal,
    invalid_message_problem,
    key_reused_problem,
    read_back_link,
)
from notifications.choices import BatchSource, BatchStatus
from notifications.intake.batches import (
    BatchRun,
    Number,
    batch_create,
    batch_finish,
    batch_run,
    batch_state,
)
from notifications.intake.bulk import MAX_JOB_KEY
from notifications.intake.services import ACCEPTED, DUPLICATE, REPLAYED, IntakeRefused
from notifications.models import NotificationBatch

router = Router(tags=["bulkmeldingen"])

MAX_RECIPIENTS = settings.NOTIFICATION_BULK_MAX_RECIPIENTS
REFUSED = "refused"


class BulkMeldingIn(RequestSchema):
    ontvangers: list[Identificatie] = Field(
        min_length=1,
        max_length=MAX_RECIPIENTS,
        description="The people to send it to; maxItems says how many at most.",
    )
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
        max_length=MAX_JOB_KEY,
        description=(
            "Your unique key for this batch: sending it again sends only to whom it did not "
            "reach yet, and answers for everyone."
        ),
    )


class OntvangerResultaat(Schema):
    ontvanger: Identificatie
    resultaat: Literal["accepted", "replayed", "duplicate", "refused"]
    reden: str | None = Field(
        None, description="Why refused: invalid_identifier, not_found or no_consent."
    )
    melding: int | None = Field(None, description="The message's id, for GET /meldingen/{id}.")


class Weigering(Schema):
    reden: str
    aantal: int


class BezorgingTelling(Schema):
    kanaal: Literal["inbox", "email", "sms", "post"]
    status: BEZORGSTATUS = Field(description=BEZORGSTATUS_TEXT)
    aantal: int


class BulkMeldingUit(Schema):
    id: int
    status: Literal["queued", "running", "done", "refused"]
    ontvangen: Literal["accepted", "replayed"] | None = None
    aantalOntvangers: int = Field(description="How many people the last request named.")
    aantalVerwerkt: int
    geaccepteerd: int = Field(description="Messages accepted for delivery.")
    duplicaat: int = Field(
        description="Same case and kind as an earlier message to that person: not sent again."
    )
    geweigerd: list[Weigering] = Field(description="People refused, per reason.")
    bezorgingen: list[BezorgingTelling] = Field(description="Deliveries per channel and status.")
    resultaten: list[OntvangerResultaat] | None = Field(
        None, description="Per person, in the order asked: only in the answer to the POST."
    )


@router.post(
    "/bulkmeldingen",
    response={201: BulkMeldingUit, 200: BulkMeldingUit, 403: None, 409: None},
    summary="Send one message to many ondernemers or burgers",
    operation_id="bulkmeldingVersturen",
    openapi_extra=read_back_link("bulkmeldingOphalen", "bulkmelding_id"),
)
def bulkmelding_versturen(request, vraag: BulkMeldingIn):
    started = timezone.now()
    trace = Trace.from_header(request.headers.get("traceparent", ""))
    organisation = request.api_client.organisation
    valid = [i for i in vraag.ontvangers if identificatie_valid(i)]
    doelbinding = _own_doelbinding(organisation, vraag.doelbinding, request.api_client.pk)
    if doelbinding is None:
        _refuse(request, valid, None, Reason.WRONG_ORGANISATION, trace, started)
    if not doelbinding.for_client:
        # Four eyes (consent.clients): a client uses only the purposes tied to it and confirmed.
        _refuse(request, valid, doelbinding, Reason.PURPOSE_NOT_FOR_CLIENT, trace, started)
    by_number = {_number(i): i for i in valid}
    try:
        with transaction.atomic():
            batch, created = batch_create(
                organisation=organisation,
                doelbinding=doelbinding,
                source=BatchSource.API,
                requested_by=request.api_client.name,
                kind=vraag.soort,
                subject=vraag.onderwerp,
                body=vraag.tekst,
                link=vraag.link or "",
                case_reference=vraag.zaakkenmerk or "",
                idempotency_key=vraag.idempotentieSleutel,
                status=BatchStatus.RUNNING,
                api_client=request.api_client,
            )
            batch.recipient_count = len(vraag.ontvangers)
            test = request.api_client.is_test
            if test:  # the test persons among them, made on first use; nobody else is found
                for number in by_number:
                    recipient_for_test_person(number, doelbinding)
            run = batch_run(batch=batch, numbers=list(by_number), per_number=True, test=test)
            run.refused[ProblemCode.INVALID_IDENTIFIER] += len(vraag.ontvangers) - len(valid)
            _log_refusals(request, run, by_number, doelbinding, trace, started)
            batch_finish(batch, run)
    except IntakeRefused as refused:
        if refused.code == ProblemCode.IDEMPOTENCY_KEY_REUSED:
            raise key_reused_problem() from refused
        _refuse(request, valid, doelbinding, refused.code, trace, started)
    except ValidationError as invalid:
        raise invalid_message_problem(invalid) from invalid
    out = _out(batch, received=ACCEPTED if created else REPLAYED)
    out["resultaten"] = [_result(i, run) for i in vraag.ontvangers]
    return Status(201 if created else 200, out)


@router.get(
    "/bulkmeldingen/{bulkmelding_id}",
    response={200: BulkMeldingUit, 404: None},
    summary="How a message to many people is going",
    operation_id="bulkmeldingOphalen",
)
def bulkmelding_ophalen(request, bulkmelding_id: int):
    batch = (
        NotificationBatch.objects.filter(
            pk=bulkmelding_id, organisation=request.api_client.organisation
        )
        .exclude(status=BatchStatus.DRAFT)
        .first()
    )
    if batch is None:
        raise ApiProblem(404, "Not found", "Your organisation sent no batch with this id.")
    return _out(batch)


def _number(identificatie: Identificatie) -> Number:
    return (identificatie.type, identificatie.nummer, identificatie.vestigingsnummer or "")


def _refuse(request, valid, doelbinding, reason: str, trace, started):
    """The whole request refused (the purpose): logged for every valid number, then 403."""
    version = doelbinding.current_version if doelbinding else None
    decision = Decision(False, reason, version_id=version.pk if version else None)
    refusal_log(request, valid, doelbinding, decision, trace=trace, started=started)
    raise ApiProblem(403, "Not allowed", _refusal(reason), code=reason)


def _log_refusals(request, run: BatchRun, by_number, doelbinding, trace, started) -> None:
    """One record per refused person, as a refused single message writes (a statement per
    reason); in the request's transaction, so no message stays without its refusals logged."""
    version = doelbinding.current_version
    refused: dict[str, list] = {}
    for number, (status, _id) in run.outcomes.items():
        if status in (Reason.NOT_FOUND, Reason.NO_CONSENT):
            refused.setdefault(status, []).append(by_number[number])
    for reason, identificaties in refused.items():
        decision = Decision(False, reason, version_id=version.pk if version else None)
        refusal_log(request, identificaties, doelbinding, decision, trace=trace, started=started)


def _result(identificatie: Identificatie, run: BatchRun) -> dict:
    if not identificatie_valid(identificatie):
        return {
            "ontvanger": identificatie,
            "resultaat": REFUSED,
            "reden": ProblemCode.INVALID_IDENTIFIER,
        }
    status, notification_id = run.outcomes[_number(identificatie)]
    if status in (ACCEPTED, REPLAYED, DUPLICATE):
        return {"ontvanger": identificatie, "resultaat": status, "melding": notification_id}
    return {"ontvanger": identificatie, "resultaat": REFUSED, "reden": status}


def _out(batch: NotificationBatch, *, received: str | None = None) -> dict:
    state = batch_state(batch)
    return {
        "id": batch.pk,
        "status": batch.status,
        "ontvangen": received,
        "aantalOntvangers": batch.recipient_count,
        "aantalVerwerkt": batch.processed_count,
        "geaccepteerd": state.accepted,
        "duplicaat": state.duplicates,
        "geweigerd": [
            {"reden": reason, "aantal": count} for reason, count in sorted(state.refused.items())
        ],
        "bezorgingen": [
            {"kanaal": channel, "status": status, "aantal": count}
            for (channel, status), count in state.deliveries.items()
        ],
    }
