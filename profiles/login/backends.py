"""The login backend: mozilla-django-oidc's code flow, with our identities instead of e-mail.

Failures are raised as LoginError (with a reason code) or BrokerUnavailable, so the callback
view can tell the user what happened instead of a bare "login failed".
"""

import jwt
import requests
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from profiles.login.broker import BrokerUnavailable, broker_endpoints
from profiles.login.claims import LoginError, claims_to_login
from profiles.login.request_user import request_user
from profiles.services import profile_get_or_create
from profiles.test_persons import BY_KEY as TEST_PERSON_KEYS


class BrokerBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, nonce=None, code_verifier=None, method=None, **kwargs):
        if request is None or method is None or nonce is None:
            return None  # not a broker login: let the next backend (staff passwords) try
        endpoints = broker_endpoints()
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = endpoints["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = endpoints["jwks_uri"]
        self.issuer = endpoints.get("issuer", "")
        self.method = method
        try:
            return super().authenticate(request, nonce=nonce, code_verifier=code_verifier, **kwargs)
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            if status >= 500:
                raise BrokerUnavailable(f"broker answered {status}") from exc
            raise LoginError("token_rejected", f"broker answered {status}") from exc
        except requests.RequestException as exc:
            raise BrokerUnavailable(type(exc).__name__) from exc
        except (SuspiciousOperation, jwt.InvalidTokenError, KeyError, ValueError) as exc:
            raise LoginError("invalid_token", type(exc).__name__) from exc

    def _verify_jws(self, payload, key):
        # The library leaves audience and issuer unchecked; a token for another client or from
        # another issuer must not log anyone in.
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise LoginError("invalid_token", f"unexpected alg {header.get('alg')!r}")
        return jwt.decode(
            payload,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=self.issuer or None,
            options={"require": ["exp", "iat", "sub"]},
            leeway=30,
        )

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise LoginError("invalid_token", "userinfo is about another subject")
        # The signed ID token carries acr; userinfo may carry the broker's own claims.
        login = claims_to_login(self.method, {**payload, **userinfo})
        if (login.identity_type, login.value, login.branch) in TEST_PERSON_KEYS:
            # The API's test persons belong to test keys; nobody logs in as one (a broker that
            # sends one of these numbers is refused like one sending a wrong number).
            raise LoginError("invalid_identifier", "a test person of the API cannot log in")
        profile = profile_get_or_create(
            identity_type=login.identity_type, value=login.value, branch=login.branch
        )
        if login.display_name and not profile.display_name:
            profile.display_name = login.display_name
            profile.save(update_fields=["display_name"])
        user = profile.user
        user.login_claims = login
        return user

    def get_user(self, user_id):
        # One statement for the request's user and its profile: every page needs both.
        return request_user(user_id)
