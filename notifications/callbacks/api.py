"""The organisation API's callback addresses: register, list, remove.

The signing secret is in the answer to the registration only; the portal keeps it encrypted
to sign with and never shows it again (register a new address to get a new secret).
"""

from datetime import datetime

from ninja import Field, Router, Schema, Status

from core.api_problems import ApiProblem, ProblemCode
from core.api_schemas import RequestSchema
from notifications.callbacks.models import CallbackEndpoint
from notifications.callbacks.services import EndpointRefused, endpoint_register, endpoint_remove

router = Router(tags=["callbacks"])


class CallbackIn(RequestSchema):
    url: str = Field(
        min_length=9,
        max_length=500,
        description="Your HTTPS address that receives a CloudEvent for every status change.",
    )


class CallbackUit(Schema):
    id: int
    url: str
    aangemaaktOp: datetime


class NieuweCallback(CallbackUit):
    geheim: str = Field(
        description="The key (Standard Webhooks, whsec_...) to check the webhook-signature "
        "header with. Shown only now: keep it safe."
    )


def _out(endpoint: CallbackEndpoint) -> dict:
    return {"id": endpoint.pk, "url": endpoint.url, "aangemaaktOp": endpoint.created_at}


@router.post(
    "/callbacks",
    response={201: NieuweCallback, 400: None},
    summary="Register an address for status changes of your messages",
    operation_id="callbackRegistreren",
)
def callback_registreren(request, callback: CallbackIn):
    try:
        endpoint, secret = endpoint_register(api_client=request.api_client, url=callback.url)
    except EndpointRefused as refused:
        problem = ApiProblem(
            400,
            "Invalid input",
            "This address cannot receive callbacks.",
            code=ProblemCode.ADDRESS_REFUSED,
        )
        problem.invalid_params = [{"name": "url", "reason": str(refused)}]
        raise problem from refused
    return Status(201, _out(endpoint) | {"geheim": secret})


@router.get(
    "/callbacks",
    response={200: list[CallbackUit]},
    summary="Your addresses for status changes",
    operation_id="callbacksOphalen",
)
def callbacks_ophalen(request):
    endpoints = request.api_client.callback_endpoints.filter(active=True).order_by("pk")
    return [_out(endpoint) for endpoint in endpoints]


@router.delete(
    "/callbacks/{callback_id}",
    response={204: None, 404: None},
    summary="Stop sending status changes to an address",
    operation_id="callbackVerwijderen",
)
def callback_verwijderen(request, callback_id: int):
    endpoint = request.api_client.callback_endpoints.filter(pk=callback_id, active=True).first()
    if endpoint is None:
        raise ApiProblem(404, "Not found", "Your client has no active callback with this id.")
    endpoint_remove(endpoint=endpoint)
    return Status(204, None)
