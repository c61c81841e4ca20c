"""The registers' official OpenAPI documents as a contract that requests and answers must meet.

The documents live beside the repository, in ../shared/standards/registers/ (CI has shared/
there too). `Contract.request_errors` checks a request against its operation: the path, the
query and header parameters, the security key, the Accept header and the request body.
`Contract.answer_errors` checks an answer against the response the operation defines for its
status. Both return a list of faults; empty means the register could have taken or sent it.

Held stricter than JSON Schema alone, so that fakes cannot drift from the real registers:
- `discriminator` (which JSON Schema ignores) picks the subtype by its `type`, and a `type`
  the document does not map is a fault: a `verblijfplaats` of type "Adres" must be an Adres.
- an object may hold only properties the document names (the documents leave objects open;
  a misspelt field in a fake would otherwise pass unseen).
The documents are otherwise used as published, with one named correction (see _ERRATA).
"""

import copy
import csv
import datetime
import functools
import re
from pathlib import Path

import jsonschema_rs
import yaml

SPECS = Path(__file__).resolve().parents[2].parent / "shared" / "standards" / "registers"
BRP_SPEC = "brp-personen-2.7.0.openapi.yaml"
BAG_SPEC = "bag-individuele-bevragingen-2.0.0.openapi.yaml"
BRP_FIELDS = "brp-fields-persoon.csv"

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_INTEGER = re.compile(r"^-?[0-9]+$")


def _errata_bag(schemas: dict) -> None:
    # The BAG document requires `kortNaam` of an Adres but names the property `korteNaam`
    # (as every other schema in it does); read as published, no answer could meet both.
    required = schemas["Adres"]["required"]
    assert "kortNaam" in required, "the BAG document changed: review this correction"
    required[required.index("kortNaam")] = "korteNaam"


_ERRATA = {BAG_SPEC: _errata_bag}


@functools.cache
def document(name: str) -> dict:
    path = SPECS / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: the register tests need ../shared/standards/registers/ "
            "beside the repository."
        )
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return _as_json(yaml.load(path.read_bytes(), Loader=loader))  # noqa: S506 - a safe loader


def _as_json(node):
    """YAML reads an unquoted 2019-01-01 as a date; in JSON (and so to the API) it is text."""
    if isinstance(node, dict):
        return {key: _as_json(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_as_json(item) for item in node]
    return node.isoformat() if isinstance(node, datetime.date) else node


@functools.cache
def brp_fields() -> frozenset[str]:
    """The `fields` values the BRP takes for a Persoon."""
    with (SPECS / BRP_FIELDS).open(encoding="utf-8") as lines:
        return frozenset(row["pad"] for row in csv.DictReader(lines))


def _name(ref: str) -> str:
    return ref.rsplit("/", 1)[1]


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


class _Strict:
    """Rewrites schemas: discriminated bases used as a value become typed, used objects closed."""

    def __init__(self, schemas: dict):
        self.schemas = schemas
        self.typed = {}
        for name, schema in list(schemas.items()):
            discriminator = schema.get("discriminator")
            if not discriminator:
                continue
            prop, mapping = discriminator["propertyName"], discriminator.get("mapping", {})
            self.typed[name] = f"{name}__typed"
            schemas[f"{name}__typed"] = {
                "$ref": f"#/components/schemas/{name}",
                "required": [prop],
                "properties": {prop: {"enum": sorted(mapping)}},
                "allOf": [
                    {"if": {"properties": {prop: {"const": key}}}, "then": {"$ref": target}}
                    for key, target in mapping.items()
                ],
            }
        for name, schema in list(schemas.items()):
            if not name.endswith("__typed"):
                schemas[name] = self.walk(schema, use_site=False)

    def declares_properties(self, schema: dict, seen: frozenset = frozenset()) -> bool:
        if "$ref" in schema:
            name = _name(schema["$ref"])
            return name not in seen and self.declares_properties(self.schemas[name], seen | {name})
        parts = [*schema.get("allOf", [])]
        parts += [branch["then"] for branch in parts if "then" in branch]
        return "properties" in schema or any(self.declares_properties(p, seen) for p in parts)

    def walk(self, node, *, use_site: bool, in_all_of: bool = False):
        if isinstance(node, list):
            return [self.walk(item, use_site=False) for item in node]
        if not isinstance(node, dict):
            return node
        node = dict(node)
        ref = node.get("$ref", "")
        if ref and not in_all_of and _name(ref) in self.typed:
            # A value of a discriminated base type (not a subtype's allOf naming its base).
            node["$ref"] = f"#/components/schemas/{self.typed[_name(ref)]}"
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                node[key] = {k: self.walk(v, use_site=True) for k, v in value.items()}
            elif key == "items":
                node[key] = self.walk(value, use_site=True)
            elif key == "allOf":
                node[key] = [self.walk(item, use_site=False, in_all_of=True) for item in value]
            elif isinstance(value, dict | list) and key not in {"discriminator", "example"}:
                node[key] = self.walk(value, use_site=False)
        if use_site and node.get("type", "object") == "object" and self.declares_properties(node):
            node.setdefault("unevaluatedProperties", False)
        return node


class Contract:
    def __init__(self, spec_name: str):
        spec = copy.deepcopy(document(spec_name))
        if spec_name in _ERRATA:
            _ERRATA[spec_name](spec["components"]["schemas"])
        self.spec = spec
        self.strict = _Strict(spec["components"]["schemas"])
        self._validators = {}

    # --- schemas --------------------------------------------------------------------------

    def schema_errors(self, schema: dict, instance) -> list[str]:
        """Faults of `instance` against `schema`, which may $ref the document's components."""
        key = repr(schema)
        if key not in self._validators:
            root = {"$schema": _DIALECT, "components": {"schemas": self.strict.schemas}}
            root["allOf"] = [self.strict.walk(schema, use_site=True)]
            self._validators[key] = jsonschema_rs.validator_for(root)
        return [
            f"{'/'.join(map(str, error.instance_path)) or '(root)'}: {error.message}"
            for error in self._validators[key].iter_errors(instance)
        ]

    # --- operations -----------------------------------------------------------------------

    def operation(self, method: str, path: str) -> dict | None:
        item = self.spec["paths"].get(path)
        return item.get(method.lower()) if item else None

    def _resolve(self, node: dict) -> dict:
        while "$ref" in node:
            _, section, name = node["$ref"].removeprefix("#/").split("/")
            node = self.spec["components"][section][name]
        return node

    def request_errors(
        self, method: str, path: str, *, query: dict, headers: dict, body=None
    ) -> list[str]:
        """`query` as parse_qs gives it; `headers` with lower-case names."""
        operation = self.operation(method, path)
        if operation is None:
            return [f"{method} {path} is not an operation of this API"]
        errors = []
        declared = [self._resolve(p) for p in operation.get("parameters", [])]
        in_query = {p["name"]: p for p in declared if p["in"] == "query"}
        for name, values in query.items():
            if name not in in_query:
                errors.append(f"query parameter {name!r} is not defined")
            elif len(values) != 1:
                errors.append(f"query parameter {name!r} is given {len(values)} times")
            else:
                value = _typed(values[0], in_query[name]["schema"])
                errors += [
                    f"{name}: {e}" for e in self.schema_errors(in_query[name]["schema"], value)
                ]
        for parameter in declared:
            where = query if parameter["in"] == "query" else headers
            name = parameter["name"] if parameter["in"] == "query" else parameter["name"].lower()
            if parameter.get("required") and name not in where:
                errors.append(f"required {parameter['in']} parameter {parameter['name']!r} missing")
            if parameter["in"] == "header" and name in where:
                errors += self.schema_errors(parameter["schema"], where[name])
        errors += self._security_errors(operation, headers)
        errors += self._accept_errors(operation, headers.get("accept", "*/*"))
        errors += self._body_errors(operation, headers.get("content-type", ""), body)
        return errors

    def _security_errors(self, operation: dict, headers: dict) -> list[str]:
        requirements = operation.get("security", self.spec.get("security", []))
        schemes = self.spec["components"].get("securitySchemes", {})
        for requirement in requirements:
            needed = [schemes[name] for name in requirement]
            if all(s["type"] == "apiKey" and s["name"].lower() in headers for s in needed):
                return []
        return [f"none of the security requirements {requirements} is met"] if requirements else []

    def _accept_errors(self, operation: dict, accept: str) -> list[str]:
        ok = self._resolve(operation["responses"]["200"])
        offered = {_media(media) for media in ok.get("content", {})}
        wanted = {_media(part) for part in accept.split(",")}
        if "*/*" in wanted or offered & wanted:
            return []
        return [f"Accept {accept!r} takes none of {sorted(offered)}: the API answers 406"]

    def _body_errors(self, operation: dict, content_type: str, body) -> list[str]:
        if "requestBody" not in operation:
            return ["a body where the operation takes none"] if body is not None else []
        content = self._resolve(operation["requestBody"])["content"]
        media = {_media(key): value for key, value in content.items()}
        if _media(content_type) not in media:
            return [
                f"Content-Type {content_type!r} is none of {sorted(media)}: the API answers 415"
            ]
        return self.schema_errors(media[_media(content_type)]["schema"], body)

    def answer_errors(
        self, method: str, path: str, *, status: int, content_type: str, body
    ) -> list[str]:
        responses = self.operation(method, path)["responses"]
        response = responses.get(str(status)) or responses.get("default")
        if response is None:
            return [f"{method} {path} defines no answer with status {status}"]
        content = {_media(k): v for k, v in self._resolve(response).get("content", {}).items()}
        if _media(content_type) not in content:
            return [f"Content-Type {content_type!r} is none of {sorted(content)}"]
        return self.schema_errors(content[_media(content_type)]["schema"], body)

    def example(self, method: str, path: str, status: int) -> dict:
        """The document's own example answer for this status (its error answers have one)."""
        response = self._resolve(self.operation(method, path)["responses"][str(status)])
        return copy.deepcopy(next(iter(response["content"].values()))["example"])

    def media_type(self, method: str, path: str, status: int) -> str:
        responses = self.operation(method, path)["responses"]
        response = self._resolve(responses.get(str(status)) or responses["default"])
        return next(iter(response["content"]))


def _typed(value: str, schema: dict):
    """A query string value as the type its schema has, so the schema can judge it."""
    kind = schema.get("type")
    if kind == "integer" and _INTEGER.match(value):
        return int(value)
    if kind == "boolean" and value in {"true", "false"}:
        return value == "true"
    return value
