"""Local BRP, BAG and KvK registers on real HTTP(S) servers, for the register clients' tests.

The BRP and the BAG answer only what their official OpenAPI documents allow: every request is
checked against its operation (tests/support/register_contracts.py) and every answer against
the response schema before it is sent. A request the document forbids gets the register's
400 and is kept in `faults`; an answer that would not validate is kept there too (the test
data is then wrong). The fixture that starts a fake asserts at the end that `faults` is empty.

They sit at the base path of the real register's address (from the document's `servers`), so
a client whose base URL leaves a part off meets what a gateway answers there: a 404.
`answer_instead` replaces the register for a test that needs a broken peer (a proxy's HTML, a
server that hangs): such answers are, on purpose, not the register's and not checked.
"""

import contextlib
import copy
import itertools
import math
import re
import threading
from base64 import b64decode
from collections.abc import Callable
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from tests.support.http_peer import http_peer
from tests.support.register_contracts import BAG_SPEC, BRP_SPEC, Contract, brp_fields

API_KEY = "test-key"
# A test secret with the characters client_secret_basic must form-encode.
CLIENT_SECRET = "s3cret:with/odd&chars"


class FakeRegister:
    contract_name = ""
    api_key_header = ""

    def __init__(self, *, tokens: "TokenServer | None" = None, api_key: str = API_KEY):
        self.contract = _contract(self.contract_name) if self.contract_name else None
        servers = self.contract.spec["servers"] if self.contract else [{"url": "https://x/api"}]
        self.base_path = urlsplit(servers[-1]["url"]).path.rstrip("/")
        self.tokens, self.api_key = tokens, api_key
        self.faults: list[str] = []
        # The status of every answer the register itself gave, in order.
        self.statuses: list[int] = []
        self.answer_instead: Callable[[dict], tuple] | None = None
        self.server = None
        self.scheme = "http"

    @property
    def url(self) -> str:
        """The base URL a correctly configured client is given."""
        return f"{self.origin}{self.base_path}"

    @property
    def origin(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}"

    @property
    def seen(self) -> list[dict]:
        return self.server.seen

    def answer(self, request: dict) -> tuple:
        if self.answer_instead:
            return self.answer_instead(request)
        if not (request["path"] + "/").startswith(self.base_path + "/"):
            return _gateway_not_found(request)
        path = request["path"].removeprefix(self.base_path) or "/"
        refused = self.refuse(path, request)
        if refused:
            return refused
        status, body = self.respond(path, request)
        return self.send(request["method"], path, status, body)

    def refuse(self, path: str, request: dict) -> tuple | None:
        """The register's 400 for a request its document forbids, or 401 without a way in."""
        faults = self.request_faults(path, request)
        if faults:
            self.faults += [f"request {request['method']} {path}: {f}" for f in faults]
            return self.send(request["method"], path, 400, self.error(request, path, 400))
        if not self.let_in(request["headers"]):
            return self.send(request["method"], path, 401, self.error(request, path, 401))
        return None

    def request_faults(self, path: str, request: dict) -> list[str]:
        return self.contract.request_errors(
            request["method"],
            self.operation_path(path),
            query=request["query"],
            headers=request["headers"],
            body=request["body"],
        )

    def let_in(self, headers: dict) -> bool:
        if self.tokens:
            scheme, _, token = headers.get("authorization", "").partition(" ")
            return scheme.lower() == "bearer" and self.tokens.valid(token)
        return headers.get(self.api_key_header.lower()) == self.api_key

    def operation_path(self, path: str) -> str:
        return path

    def error(self, request: dict, path: str, status: int) -> dict:
        return self.contract.example(request["method"], self.operation_path(path), status)

    def send(self, method: str, path: str, status: int, body) -> tuple:
        operation = self.operation_path(path)
        media = self.contract.media_type(method, operation, status)
        faults = self.contract.answer_errors(
            method, operation, status=status, content_type=media, body=body
        )
        self.faults += [f"answer {status} to {method} {path}: {f}" for f in faults]
        self.statuses.append(status)
        return status, body, 0, {"Content-Type": media}

    def respond(self, path: str, request: dict) -> tuple[int, object]:
        raise NotImplementedError

    def fail_with(self, status: int) -> None:
        """From now on answer every request with this error, as the register words it."""

        def failing(request: dict) -> tuple:
            path = request["path"].removeprefix(self.base_path)
            return self.send(request["method"], path, status, self.error(request, path, status))

        self.answer_instead = failing


def _gateway_not_found(request: dict) -> tuple:
    # What the registers' API gateway answers for a path it does not serve: the shape and the
    # code of the BAG document's own 404 example (the BRP document defines none).
    body = _contract(BAG_SPEC).example("GET", "/adressen/{nummeraanduidingIdentificatie}", 404)
    return 404, body, 0, {"Content-Type": "application/problem+json"}


_contracts: dict[str, Contract] = {}
_contracts_lock = threading.Lock()


def _contract(name: str) -> Contract:
    with _contracts_lock:
        if name not in _contracts:
            _contracts[name] = Contract(name)
        return _contracts[name]


# --- BRP -------------------------------------------------------------------------------------


class FakeBrp(FakeRegister):
    """BRP API Personen: `persons` maps a BSN to a Persoon as the BRP holds it in full; an
    answer holds only the `fields` asked for, as the real one does."""

    contract_name = BRP_SPEC
    api_key_header = "X-API-KEY"

    def __init__(self, persons: dict[str, dict] | None = None, **options):
        super().__init__(**options)
        self.persons = copy.deepcopy(persons or {})

    def request_faults(self, path: str, request: dict) -> list[str]:
        faults = super().request_faults(path, request)
        body = request["body"] if isinstance(request["body"], dict) else {}
        unknown = [f for f in body.get("fields", []) if f not in brp_fields()]
        return faults + [f"fields {unknown} are not fields of a Persoon"] * bool(unknown)

    def respond(self, path: str, request: dict) -> tuple[int, object]:
        query = request["body"]
        found = [self.persons[bsn] for bsn in query["burgerservicenummer"] if bsn in self.persons]
        return 200, {"type": query["type"], "personen": [_pick(p, query["fields"]) for p in found]}


def _pick(data: dict, paths: list[str]) -> dict:
    """The parts of `data` that `fields` paths ('naam.volledigeNaam', 'verblijfplaats') name."""
    picked: dict = {}
    for path in paths:
        head, _, rest = path.partition(".")
        if head not in data:
            continue
        if not rest or not isinstance(data[head], dict):
            picked[head] = copy.deepcopy(data[head])
        else:
            # A part of a typed object comes with its type, as the BRP sends it.
            part = picked.setdefault(
                head, {"type": data[head]["type"]} if "type" in data[head] else {}
            )
            part.update(_pick(data[head], [rest]))
    return picked


# --- BAG -------------------------------------------------------------------------------------


class FakeBag(FakeRegister):
    """BAG API Individuele Bevragingen: `/adressen` over `addresses`, paged as the BAG pages."""

    contract_name = BAG_SPEC
    api_key_header = "X-Api-Key"

    def __init__(self, addresses: list[dict] | None = None, **options):
        super().__init__(**options)
        self.addresses = list(addresses or [])
        # Where the links point; a test may point `next` at another host.
        self.link_origin = ""

    def respond(self, path: str, request: dict) -> tuple[int, object]:
        query = {key: values[0] for key, values in request["query"].items()}
        found = [a for a in self.addresses if _matches(a, query)]
        page, size = int(query.get("page", 1)), int(query.get("pageSize", 20))
        last = max(1, math.ceil(len(found) / size))
        links = {"self": self._link(query, page)}
        if page > 1:
            links["previous"] = self._link(query, page - 1)
        if page < last:
            links["next"] = self._link(query, page + 1)
        answer = {"_links": links}
        if found:
            answer["_embedded"] = {"adressen": found[(page - 1) * size : page * size]}
        return 200, answer

    def _link(self, query: dict, page: int) -> dict:
        origin = self.link_origin or self.origin
        return {"href": f"{origin}{self.base_path}/adressen?{urlencode(query | {'page': page})}"}


def _matches(address: dict, query: dict) -> bool:
    # Without exacteMatch, a letter or addition left out matches every one (as the BAG does).
    wanted = {
        "postcode": query["postcode"].upper(),
        "huisnummer": int(query["huisnummer"]),
        "huisletter": query.get("huisletter"),
        "huisnummertoevoeging": query.get("huisnummertoevoeging"),
    }
    return all(
        value is None or str(address.get(key, "")).lower() == str(value).lower()
        for key, value in wanted.items()
    )


def bag_address(**changes) -> dict:
    """An Adres of the BAG document, from the examples the document gives for each property."""
    contract = _contract(BAG_SPEC)
    schemas = contract.spec["components"]["schemas"]
    address = {}
    for name, prop in schemas["Adres"]["properties"].items():
        prop = schemas[prop["$ref"].rsplit("/", 1)[1]] if "$ref" in prop else prop
        if "example" in prop:
            address[name] = prop["example"]
        elif prop.get("type") == "array" and "$ref" in prop["items"]:
            address[name] = [schemas[prop["items"]["$ref"].rsplit("/", 1)[1]]["example"]]
    address |= {"woonplaatsIdentificatie": "0226", **changes}
    return {k: v for k, v in address.items() if v is not None}


# --- KvK -------------------------------------------------------------------------------------


class FakeKvk(FakeRegister):
    """KvK Basisprofiel API: no document beside the others, so held to the facts its README
    gives: GET /v1/basisprofielen/{kvkNummer}[/vestigingen], the key in `apikey`, errors as
    {"fout": [{"code", "omschrijving"}]}."""

    api_key_header = "apikey"
    _PATH = re.compile(r"^/v1/basisprofielen/(?P<kvk>[0-9]{8})(?P<vestigingen>/vestigingen)?$")

    def __init__(self, profiles: dict[str, tuple[dict, dict]] | None = None, **options):
        super().__init__(**options)
        self.profiles = profiles or {}

    def request_faults(self, path: str, request: dict) -> list[str]:
        faults = [] if self._PATH.match(path) else [f"{path} is not a KvK path"]
        faults += [] if request["method"] == "GET" else ["the KvK takes GET only"]
        return faults + ([] if request["body"] is None else ["a body the KvK does not take"])

    def error(self, request: dict, path: str, status: int) -> dict:
        return {"fout": [{"code": f"TEST{status}", "omschrijving": "Testfout"}]}

    def send(self, method: str, path: str, status: int, body) -> tuple:
        return status, body, 0, {"Content-Type": "application/hal+json"}

    def respond(self, path: str, request: dict) -> tuple[int, object]:
        match = self._PATH.match(path)
        if match["kvk"] not in self.profiles:
            return 404, self.error(request, path, 404)
        profile, vestigingen = self.profiles[match["kvk"]]
        return 200, vestigingen if match["vestigingen"] else profile


# --- OAuth2 token server ---------------------------------------------------------------------


class TokenServer:
    """An OAuth2 token endpoint (client credentials, client_secret_basic) that counts its calls.

    Every token lives `lifetime` seconds as far as the client is told; `expire_all()` ends
    them at once on the register's side, as a revocation or a clock that runs ahead does.
    """

    def __init__(self, *, client_id="portal", secret=CLIENT_SECRET, scope="brp", lifetime=300):
        self.client_id, self.secret, self.scope, self.lifetime = client_id, secret, scope, lifetime
        self.calls = 0
        self.issued: list[str] = []
        self._valid: set[str] = set()
        self._counter = itertools.count(1)
        self.server = None
        self.scheme = "http"

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}/oauth2/token"

    @property
    def seen(self) -> list[dict]:
        return self.server.seen

    def valid(self, token: str) -> bool:
        return token in self._valid

    def expire_all(self) -> None:
        self._valid.clear()

    def answer(self, request: dict) -> tuple:
        self.calls += 1
        form = {k: v[0] for k, v in parse_qs(request["body"] or "").items()}
        if request["method"] != "POST" or request["path"] != "/oauth2/token":
            return 404, {"error": "not_found"}, 0
        if form.get("grant_type") != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}, 0
        if _basic(request["headers"]) != (self.client_id, self.secret):
            return 401, {"error": "invalid_client"}, 0, {"WWW-Authenticate": "Basic"}
        if form.get("scope", "") != self.scope:
            return 400, {"error": "invalid_scope"}, 0
        token = f"token-{next(self._counter)}"
        self.issued.append(token)
        self._valid.add(token)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": self.lifetime}, 0


def _basic(headers: dict) -> tuple[str, str]:
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return ("", "")
    client_id, _, secret = b64decode(value).decode().partition(":")
    return unquote(client_id), unquote(secret)


@contextlib.contextmanager
def serving(fake, *, tls=None):
    """Run a fake register or token server on a real local server for the `with` block; at its
    end, no request or answer may have broken the register's document."""
    with http_peer(fake.answer, tls=tls) as server:
        fake.server, fake.scheme = server, "https" if tls else "http"
        yield fake
    assert getattr(fake, "faults", []) == [], "\n".join(fake.faults)
