"""An HTTP user agent for OpenID flows in tests: keeps cookies, reads forms, stops at redirects."""

from __future__ import annotations

import base64
import hashlib
import http.cookiejar
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

from tests.support.broker import free_port


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes, url: str):
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)

    @property
    def location(self) -> str | None:
        location = self.headers.get("Location")
        return urllib.parse.urljoin(self.url, location) if location else None


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects by itself."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, url, data=None, headers=None, timeout: float = 10) -> Response:
        body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
        request = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Response(response.status, response.headers, response.read(), url)
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read(), url)

    def follow(self, url, data=None, stop_at: str = "") -> Response:
        """Request url and follow redirects until one leaves for stop_at."""
        response = self.request(url, data)
        for _ in range(10):
            if response.status not in (301, 302, 303, 307, 308):
                return response
            if stop_at and response.location.startswith(stop_at):
                return response
            response = self.request(response.location)
        raise AssertionError("too many redirects")


class FormParser(HTMLParser):
    """Collects forms: id -> {action, fields (hidden inputs), selects, buttons}."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict] = {}
        self.buttons: list[dict] = []
        self.labels: dict[str, str] = {}
        self._form = None
        self._select = None
        self._label_for = None
        self.h1 = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action"), "fields": {}, "selects": {}}
            self.forms[attrs.get("id", f"form{len(self.forms)}")] = self._form
        elif tag == "input" and self._form is not None and attrs.get("type") == "hidden":
            self._form["fields"][attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self._select = {"id": attrs.get("id"), "options": [], "selected": None}
            self._form["selects"][attrs["name"]] = self._select
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs["value"])
            if "selected" in attrs or self._select["selected"] is None:
                self._select["selected"] = attrs["value"]
        elif tag == "button":
            self.buttons.append({**attrs, "text": ""})
        elif tag == "label":
            self._label_for = attrs.get("for")
        elif tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "label":
            self._label_for = None
        elif tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self.buttons and self.buttons[-1]["text"] == "" and self.lasttag == "button":
            self.buttons[-1]["text"] = data.strip()
        if self._label_for:
            self.labels[self._label_for] = self.labels.get(self._label_for, "") + data.strip()
        if self._in_h1:
            self.h1[-1] += data


def parse(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def jwt_payload(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def basic_auth(broker) -> dict:
    raw = f"{broker.client_id}:{broker.client_secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def authorize_url(broker, redirect_uri, challenge, state, nonce, **extra) -> str:
    params = {
        "response_type": "code",
        "client_id": broker.client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid",
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    return broker.discovery["authorization_endpoint"] + "?" + urllib.parse.urlencode(params)


def callback_params(response: Response) -> dict:
    assert response.status in (302, 303), (response.status, response.text[:500])
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(response.location).query))


def local_redirect_uri() -> str:
    # Nothing listens here: the flow stops at the redirect to it.
    return f"http://127.0.0.1:{free_port()}/oidc/callback/"


class Flow:
    """One authorization-code + PKCE login through the broker's login page."""

    def __init__(self, broker, browser=None, redirect_uri=None):
        self.broker = broker
        self.browser = browser or Browser()
        self.redirect_uri = redirect_uri or local_redirect_uri()
        self.verifier, self.challenge = pkce_pair()
        self.state = secrets.token_urlsafe(12)
        self.nonce = secrets.token_urlsafe(12)

    def start(self, **extra) -> Response:
        url = authorize_url(
            self.broker, self.redirect_uri, self.challenge, self.state, self.nonce, **extra
        )
        return self.browser.follow(url, stop_at=self.redirect_uri)

    def submit(
        self,
        page: Response,
        method: str,
        identity: str,
        level: str | None = None,
        action: str = "login",
    ) -> Response:
        form = parse(page.text).forms[f"{method}-form"]
        level = level or form["selects"]["level"]["selected"]
        data = {**form["fields"], "identity": identity, "level": level, "action": action}
        url = urllib.parse.urljoin(page.url, form["action"])
        return self.browser.follow(url, data=data, stop_at=self.redirect_uri)

    def token(self, code: str, with_verifier: bool = True) -> Response:
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.redirect_uri}
        if with_verifier:
            data["code_verifier"] = self.verifier
        return self.browser.request(
            self.broker.discovery["token_endpoint"], data=data, headers=basic_auth(self.broker)
        )

    def login(self, method: str, identity: str, level: str | None = None, **extra) -> dict:
        """Full login; returns the token response plus decoded id token and userinfo."""
        page = self.start(**extra)
        assert page.status == 200, page.text[:500]
        params = callback_params(self.submit(page, method, identity, level))
        assert params["state"] == self.state
        tokens = self.token(params["code"]).json()
        userinfo = self.browser.request(
            self.broker.discovery["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        ).json()
        return {**tokens, "claims": jwt_payload(tokens["id_token"]), "userinfo": userinfo}
