"""The organisation API's documentation: a plain, accessible page built from the OpenAPI document.

Everything about the endpoints (paths, fields, responses, examples) is read from
api.get_openapi_schema() on each request, so the page cannot drift from the code that serves the
API. No JavaScript and nothing from third parties: a developer with a screen reader reads it
like any other page of the portal.
"""

import json
import re
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from config.api import api
from config.api_texts import OPENAPI_TEXTS
from profiles.test_persons import TEST_PERSONS

METHODS = ("get", "post", "put", "patch", "delete")
# Deep enough for every schema we have; a guard against a schema that refers to itself.
MAX_DEPTH = 8
# Stable example values, so the page is the same on every visit.
FORMAT_EXAMPLES = {
    "date-time": "2026-11-23T14:05:00+01:00",
    "date": "2026-11-23",
    "email": "naam@voorbeeld.nl",
    "uri": "https://voorbeeld.nl",
    "uri-reference": "about:blank",
}
# A number of fixed length, `^[0-9]{8,9}$` or `^\d{12}$`: the one pattern worth an example.
DIGITS_PATTERN = re.compile(r"^\^(?:\[0-9\]|\\d)\{(\d+)(?:,(\d+))?\}\$$")
QUICKSTART_RECEIVER_PORT = 9000  # the quickstart's local callback receiver
TYPE_EXAMPLES = {"string": "string", "integer": 1, "number": 1.5, "boolean": True}


@dataclass(frozen=True)
class PageText:
    """A text of the OpenAPI document as the page shows it, and the language it is in."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def page_text(english: str) -> PageText:
    """The document's English text in the page's language when config/api_texts.py lists it."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if not english or english in OPENAPI_TEXTS:
        return PageText(gettext(english), language)
    return PageText(english, "en")


@dataclass(frozen=True)
class FieldRow:
    name: str
    type: str
    required: bool
    description: PageText

    @property
    def parts(self) -> list[str]:
        # Shown with a line-break opportunity after each dot: long names fit a phone screen.
        return self.name.split(".")


@dataclass(frozen=True)
class FieldTable:
    id: str
    title: str
    rows: list[FieldRow]


@dataclass(frozen=True)
class ResponseRow:
    status: str
    description: PageText
    media_type: str


@dataclass
class Endpoint:
    method: str
    path: str
    anchor: str
    summary: PageText
    description: PageText
    needs_token: bool
    parameters: list[FieldRow] = field(default_factory=list)
    body_fields: list[FieldRow] = field(default_factory=list)
    responses: list[ResponseRow] = field(default_factory=list)
    response_fields: list[FieldRow] = field(default_factory=list)
    example_request: str = ""
    example_response: str = ""

    @property
    def tables(self) -> list[FieldTable]:
        tables = [
            FieldTable(f"{self.anchor}-parameters", _("Parameters"), self.parameters),
            FieldTable(f"{self.anchor}-body", _("Request body"), self.body_fields),
            FieldTable(f"{self.anchor}-answer", _("Fields in the answer"), self.response_fields),
        ]
        return [table for table in tables if table.rows]


class SchemaReader:
    """Reads schemas of one OpenAPI document, following `$ref`s into components."""

    def __init__(self, document: dict):
        self.document = document

    def resolve(self, schema: dict | None) -> dict:
        schema = schema or {}
        for _step in range(MAX_DEPTH):
            ref = schema.get("$ref", "")
            if not ref.startswith("#/"):
                return schema
            target = self.document
            for part in ref[2:].split("/"):
                target = target.get(part, {})
            # Keywords next to the $ref (e.g. a description) win over the target's.
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        return schema

    def options(self, schema: dict) -> tuple[list[dict], bool]:
        """The alternatives of anyOf/oneOf (or the schema itself), and whether null is one."""
        schema = self.resolve(schema)
        choices = schema.get("anyOf") or schema.get("oneOf")
        if not choices:
            return [schema], False
        real = [self.resolve(c) for c in choices if c.get("type") != "null"]
        return real or [{}], len(real) < len(choices)

    def inner(self, schema: dict) -> dict:
        """The schema without the null alternative (for `X | None`)."""
        return self.options(schema)[0][0]

    def type_name(self, schema: dict, depth: int = 0) -> str:
        options, nullable = self.options(schema)
        names = [self._one_type_name(option, depth) for option in options]
        return " or ".join([*names, "null"] if nullable else names)

    def _one_type_name(self, schema: dict, depth: int) -> str:
        kind = schema.get("type", "object" if "properties" in schema else "any")
        if kind == "array" and depth < MAX_DEPTH:
            return f"array of {self.type_name(schema.get('items', {}), depth + 1)}"
        if "enum" in schema:
            return f"{kind}: one of {', '.join(json.dumps(v) for v in schema['enum'])}"
        if "format" in schema:
            return f"{kind} ({schema['format']})"
        return kind

    def describe(self, schema: dict) -> PageText:
        resolved = self.resolve(schema)
        inner = self.inner(schema)
        text = page_text(resolved.get("description") or inner.get("description") or "")
        low, high = resolved.get("minItems"), resolved.get("maxItems")
        # The number of items in the same language as the description before it.
        with translation.override(text.lang):
            if low is not None and high is not None:
                count = gettext("%(low)s to %(high)s items.") % {"low": low, "high": high}
            elif low is not None:
                count = gettext("At least %(low)s items.") % {"low": low}
            elif high is not None:
                count = gettext("At most %(high)s items.") % {"high": high}
            else:
                count = ""
        return PageText(f"{text} {count}".strip(), text.lang)

    def fields(self, schema: dict, prefix: str = "", depth: int = 0) -> list[FieldRow]:
        """Every property as a row; nested objects as `parent.child`, array items as `list[].x`."""
        schema = self.inner(schema)
        if schema.get("type") == "array":
            return self.fields(schema.get("items", {}), f"{prefix}[]." if prefix else "[].", depth)
        required = set(schema.get("required", []))
        rows = []
        for name, prop in schema.get("properties", {}).items():
            full = f"{prefix}{name}"
            rows.append(FieldRow(full, self.type_name(prop), name in required, self.describe(prop)))
            inner = self.inner(prop)
            if depth < MAX_DEPTH and inner.get("type") == "array":
                inner, full = self.inner(inner.get("items", {})), f"{full}[]"
            if depth < MAX_DEPTH and inner.get("properties"):
                rows.extend(self.fields(inner, f"{full}.", depth + 1))
        return rows

    def example(self, schema: dict, depth: int = 0, *, request: bool = False):
        """The schema's own example, else a made-up value of the right shape.

        A request example leaves out optional properties without an example of their own: a
        developer copies it, and an optional value that does not fit would only mislead.
        """
        resolved = self.resolve(schema)
        if "example" in resolved:
            return resolved["example"]
        if resolved.get("examples"):
            return resolved["examples"][0]
        schema = self.inner(schema)
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type", "object" if "properties" in schema else "string")
        if kind == "array":
            if depth >= MAX_DEPTH:
                return []
            return [self.example(schema.get("items", {}), depth + 1, request=request)]
        if kind == "object":
            if depth >= MAX_DEPTH:
                return {}
            required = set(schema.get("required", []))
            return {
                name: self.example(prop, depth + 1, request=request)
                for name, prop in schema.get("properties", {}).items()
                if not request or name in required or self._has_example(prop)
            }
        digits = DIGITS_PATTERN.match(schema.get("pattern", ""))
        if kind == "string" and digits:
            return ("1234567890" * 2)[: int(digits.group(2) or digits.group(1))]
        return FORMAT_EXAMPLES.get(schema.get("format", ""), TYPE_EXAMPLES.get(kind, "string"))

    def _has_example(self, schema: dict) -> bool:
        resolved = self.resolve(schema)
        return "example" in resolved or bool(resolved.get("examples"))


def _json(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _json_schema(content: dict) -> tuple[str, dict | None]:
    for media_type in ("application/json", "application/problem+json"):
        if media_type in content:
            return media_type, content[media_type].get("schema")
    media_type, body = next(iter(content.items()), ("", {}))
    return media_type, body.get("schema")


def _status_line(code: str) -> str:
    try:
        return f"HTTP/1.1 {code} {HTTPStatus(int(code)).phrase}"
    except ValueError:
        return f"HTTP/1.1 {code}"


def _anchor(method: str, path: str, operation: dict) -> str:
    name = operation.get("operationId") or f"{method}-{path}"
    return "endpoint-" + "".join(c if c.isalnum() else "-" for c in name).strip("-")


def _endpoint(reader: SchemaReader, method: str, path: str, operation: dict, server) -> Endpoint:
    endpoint = Endpoint(
        method=method.upper(),
        path=path,
        anchor=_anchor(method, path, operation),
        summary=page_text(operation.get("summary", "")),
        description=page_text(operation.get("description", "")),
        needs_token=bool(operation.get("security", reader.document.get("security"))),
    )
    for parameter in operation.get("parameters", []):
        parameter = reader.resolve(parameter)
        endpoint.parameters.append(
            FieldRow(
                f"{parameter.get('name', '')} ({parameter.get('in', '')})",
                reader.type_name(parameter.get("schema", {})),
                bool(parameter.get("required")),
                page_text(parameter.get("description", "")),
            )
        )
    request_lines = [f"{endpoint.method} {_full_path(path, server)} HTTP/1.1", f"Host: {server[0]}"]
    if endpoint.needs_token:
        request_lines.append("Authorization: Bearer <your token>")
    request_lines.append("Accept: application/json")
    body = reader.resolve(operation.get("requestBody"))
    media_type, body_schema = _json_schema(body.get("content", {}))
    if body_schema:
        endpoint.body_fields = reader.fields(body_schema)
        request_lines += [
            f"Content-Type: {media_type}",
            "",
            _json(reader.example(body_schema, request=True)),
        ]
    endpoint.example_request = "\n".join(request_lines)

    responses = operation.get("responses", {})
    for code in sorted(responses, key=str):
        response = reader.resolve(responses[code])
        media_type, schema = _json_schema(response.get("content", {}))
        endpoint.responses.append(
            ResponseRow(str(code), page_text(response.get("description", "")), media_type)
        )
        if str(code).startswith("2") and not endpoint.example_response:
            endpoint.example_response = _example_response(reader, str(code), response)
            if schema:
                endpoint.response_fields = reader.fields(schema)
    return endpoint


def _example_response(reader: SchemaReader, code: str, response: dict) -> str:
    lines = [_status_line(code)]
    media_type, schema = _json_schema(response.get("content", {}))
    for name, header in response.get("headers", {}).items():
        lines.append(f"{name}: {reader.example(reader.resolve(header).get('schema', {}))}")
    if schema:
        lines += [f"Content-Type: {media_type}", "", _json(reader.example(schema))]
    return "\n".join(lines)


def _full_path(path: str, server: tuple[str, str]) -> str:
    """The path as sent: ninja writes full paths, other generators paths below the server URL."""
    base = server[1].rstrip("/")
    return path if not base or path.startswith(base + "/") else f"{base}{path}"


def api_reference(document: dict) -> dict:
    """What the documentation page shows, from one OpenAPI document."""
    reader = SchemaReader(document)
    servers = document.get("servers") or [{"url": settings.SITE_URL}]
    parts = urlsplit(servers[0]["url"])
    server = (parts.netloc or urlsplit(settings.SITE_URL).netloc, parts.path)
    endpoints = [
        _endpoint(reader, method, path, operation, server)
        for path, operations in document.get("paths", {}).items()
        for method, operation in operations.items()
        if method in METHODS
    ]
    components = document.get("components", {})
    problem = components.get("schemas", {}).get("Problem")
    problem_example = ""
    if problem:
        example = reader.example(problem)
        example.pop("invalidParams", None)  # only with a 400; the text below explains it
        if "instance" in example and endpoints:
            example["instance"] = _full_path(endpoints[0].path, server)
        problem_example = _json(example)
    problem_fields = reader.fields(problem) if problem else []
    version_header = components.get("headers", {}).get("API-Version", {})
    schemes = components.get("securitySchemes", {})
    info = document.get("info", {})
    return {
        "info": info,
        "description": page_text(info.get("description", "")),
        "openapi_version": document.get("openapi", ""),
        "base_url": servers[0]["url"],
        "endpoints": endpoints,
        "problem_tables": [FieldTable("errors-fields", _("Fields of an error"), problem_fields)]
        if problem_fields
        else [],
        "problem_example": problem_example,
        "version_header": page_text(version_header.get("description", "")),
        "bearer": any(s.get("scheme", "").lower() == "bearer" for s in schemes.values()),
    }


@require_safe
def docs(request):
    context = api_reference(api.get_openapi_schema())
    context["openapi_url"] = reverse(f"{api.urls_namespace}:openapi-json")
    context["rate_limit"] = settings.API_RATE_LIMIT_PER_MINUTE
    context["daily_volume"] = settings.API_DAILY_VOLUME_PER_PURPOSE
    context["test_persons"] = TEST_PERSONS  # the quickstart (templates/api/_quickstart.html)
    context["first_person"] = TEST_PERSONS[0]
    context["receiver_port"] = QUICKSTART_RECEIVER_PORT
    return render(request, "api/docs.html", context)
