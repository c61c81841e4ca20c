"""Log in to the portal through the real development broker, over HTTP (no browser)."""

import urllib.parse

from tests.support.oidc_client import Browser, parse

DIGID = {
    "basis": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
    "midden": "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    "substantieel": "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
    "hoog": "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
}
EHERKENNING = {
    "basis": "urn:etoegang:core:assurance-class:loa2",
    "midden": "urn:etoegang:core:assurance-class:loa2plus",
    "substantieel": "urn:etoegang:core:assurance-class:loa3",
    "hoog": "urn:etoegang:core:assurance-class:loa4",
}
EIDAS = {
    "midden": "http://eidas.europa.eu/LoA/low",
    "substantieel": "http://eidas.europa.eu/LoA/substantial",
    "hoog": "http://eidas.europa.eu/LoA/high",
}
LEVELS = {"digid": DIGID, "eherkenning": EHERKENNING, "eidas": EIDAS}


def local_path(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


class BrokerUser:
    """A person at the broker's login page: a cookie jar of their own, like a real browser."""

    def __init__(self):
        self.browser = Browser()

    def to_broker(self, client, start_url: str):
        """Start at the portal, go to the broker; returns the broker's page (or SSO redirect)."""
        response = client.get(start_url)
        assert response.status_code == 302, response.content[:500]
        return self.browser.follow(response["Location"], stop_at="http://testserver")

    def choose(self, page, *, method: str, identity: str, level: str, action: str = "login"):
        form = parse(page.text).forms[f"{method}-form"]
        data = {
            **form["fields"],
            "identity": identity,
            "level": LEVELS[method][level],
            "action": action,
        }
        url = urllib.parse.urljoin(page.url, form["action"])
        return self.browser.follow(url, data=data, stop_at="http://testserver")

    def back_to_portal(self, client, broker_response):
        assert broker_response.status in (302, 303), broker_response.text[:500]
        return client.get(local_path(broker_response.location))

    def login(self, client, *, method: str, identity: str, level: str, start_url: str = ""):
        """The whole flow; returns the portal's answer to the broker's redirect back."""
        page = self.to_broker(client, start_url or f"/inloggen/{method}")
        if page.status == 200:
            page = self.choose(page, method=method, identity=identity, level=level)
        return self.back_to_portal(client, page)

    def press_broker_logout(self, page):
        """On the broker's logout page, press "Uitloggen" (as without JavaScript)."""
        assert page.status == 200, page.text[:500]
        form = parse(page.text).forms["op.logoutForm"]
        url = urllib.parse.urljoin(page.url, form["action"])
        return self.browser.follow(
            url, data={**form["fields"], "logout": "yes"}, stop_at="http://testserver"
        )

    def logout_at_broker(self, end_session_url: str):
        page = self.browser.follow(end_session_url, stop_at="http://testserver")
        return page if page.status in (302, 303) else self.press_broker_logout(page)
