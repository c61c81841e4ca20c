"""Makes the generated OpenAPI document follow the NL GOV API Design Rules.

django-ninja writes the paths and schemas; the rules ask for more on every operation: the
API-Version header on every success, problem+json for every error, a 400 where input is taken,
a contact in `info`. Adding them here keeps each endpoint free of that boilerplate.
"""

from consent.choices import Reason

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
VERSION_HEADER = {"API-Version": {"$ref": "#/components/headers/API-Version"}}
STANDARD_ERRORS = {
    "400": "The input is not valid; invalidParams says which and why.",
    "401": "No valid bearer token.",
    "403": (
        "Not allowed. Among others: this API client is not confirmed yet by a second person "
        "(code client_not_confirmed)."
    ),
    "429": (
        "Too many requests: per minute (code rate_limited), or the API client's daily volume "
        "for this purpose is used up (code daily_volume_exceeded). Wait as long as Retry-After "
        "says."
    ),
    "503": "The processing could not be logged, so no data was given; try again later.",
}
BODY_ERRORS = {
    "413": "The body is larger than the upload limit.",
    "415": "The body is not sent as application/json.",
}


def nl_gov_openapi(schema: dict, *, api_version: str) -> dict:
    schema["info"]["contact"] = {
        "name": "Mijn Omgeving Zakelijk",
        "email": "api@mijnomgevingzakelijk.example",
        "url": "https://mijnomgevingzakelijk.example/api/profielen/v1/docs",
    }
    components = schema.setdefault("components", {})
    components.setdefault("headers", {})["API-Version"] = {
        "description": "The full version of this API (semver).",
        "schema": {"type": "string", "example": api_version},
    }
    components.setdefault("schemas", {})["Problem"] = _problem_schema()
    _texts_without_nul(schema)
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            # ninja keys responses by int; the OpenAPI document wants strings.
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            operation["responses"] = responses
            errors = STANDARD_ERRORS | (BODY_ERRORS if "requestBody" in operation else {})
            for code, description in errors.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code.startswith(("2", "3")):
                    response.setdefault("headers", {}).update(VERSION_HEADER)
                elif code.startswith(("4", "5")):
                    response["content"] = {"application/problem+json": {"schema": PROBLEM_REF}}
    return schema


# What config.api_body refuses, said in the document: no text in a body holds a NUL character.
NO_NUL = "^[^\\u0000]*$"


def _texts_without_nul(schema: dict) -> None:
    """Give every text in a request body, without a pattern or format of its own, NO_NUL."""
    schemas = schema.get("components", {}).get("schemas", {})
    seen: set[str] = set()

    def visit(node):
        if isinstance(node, list):
            for item in node:
                visit(item)
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            if name not in seen:
                seen.add(name)
                visit(schemas.get(name, {}))
            return
        if node.get("type") == "string" and not {"pattern", "format", "enum"} & set(node):
            node["pattern"] = NO_NUL
        for value in node.values():
            visit(value)

    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                visit(operation.get("requestBody", {}))


def _problem_schema() -> dict:
    return {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "required": ["status", "title", "detail"],
        "properties": {
            "type": {"type": "string", "format": "uri-reference", "example": "about:blank"},
            "status": {"type": "integer", "example": 403},
            "title": {"type": "string", "example": "Not allowed"},
            "detail": {"type": "string", "example": "The person has not given consent."},
            "instance": {"type": "string", "format": "uri-reference"},
            "code": {"type": "string", "example": Reason.NO_CONSENT.value},
            "invalidParams": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "reason"],
                    "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
                },
            },
        },
    }
