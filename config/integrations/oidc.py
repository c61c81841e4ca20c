"""Login through an OpenID Connect broker (DigiD, eHerkenning, eIDAS), configured only here.

Claim names and level-of-assurance values differ per broker, so every one of them is a setting.
"""

from urllib.parse import urlsplit

from config.env import env, required

_DEV_BROKER = "http://127.0.0.1:8090"

OIDC_RP_CLIENT_ID = required(
    "OIDC_RP_CLIENT_ID",
    remedy="set the portal's client id at the login broker",
    dev_default="mijn-omgeving-dev",
)
OIDC_RP_CLIENT_SECRET = required(
    "OIDC_RP_CLIENT_SECRET",
    remedy="set the portal's client secret at the login broker",
    dev_default="dev-broker-secret",
)
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=5.0)
# Before a person is sent to the broker: how long to wait for it to answer at all (a HEAD on
# its authorization endpoint, the verdict kept 5 s). Short, because the person waits for it.
OIDC_CHECK_TIMEOUT = env.float("OIDC_CHECK_TIMEOUT", default=2.0)
# Logins started per visitor per minute: each start stores a state in a new session.
LOGIN_STARTS_PER_MINUTE = env.int("LOGIN_STARTS_PER_MINUTE", default=20)
OIDC_STORE_ID_TOKEN = True  # needed as id_token_hint at the broker's end-session endpoint
OIDC_CREATE_USER = True
OIDC_AUTHENTICATION_CALLBACK_URL = "profiles:callback"
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 15 * 60

# Either the discovery document or every endpoint explicitly; explicit endpoints win.
_explicit = {
    "authorization_endpoint": env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default=""),
    "token_endpoint": env.str("OIDC_OP_TOKEN_ENDPOINT", default=""),
    "userinfo_endpoint": env.str("OIDC_OP_USER_ENDPOINT", default=""),
    "jwks_uri": env.str("OIDC_OP_JWKS_ENDPOINT", default=""),
    "end_session_endpoint": env.str("OIDC_OP_LOGOUT_ENDPOINT", default=""),
}
_explicit_complete = all(v for k, v in _explicit.items() if k != "end_session_endpoint")
OIDC_OP_DISCOVERY_URL = (
    env.str("OIDC_OP_DISCOVERY_URL", default="")
    if _explicit_complete
    else required(
        "OIDC_OP_DISCOVERY_URL",
        remedy="set the broker's /.well-known/openid-configuration URL",
        dev_default=f"{_DEV_BROKER}/.well-known/openid-configuration",
        alternative="set all of OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, "
        "OIDC_OP_USER_ENDPOINT and OIDC_OP_JWKS_ENDPOINT",
    )
)
OIDC_OP_EXPLICIT_ENDPOINTS = {k: v for k, v in _explicit.items() if v}

# mozilla-django-oidc reads these names; they are filled from discovery when not explicit.
OIDC_OP_AUTHORIZATION_ENDPOINT = _explicit["authorization_endpoint"]
OIDC_OP_TOKEN_ENDPOINT = _explicit["token_endpoint"]
OIDC_OP_USER_ENDPOINT = _explicit["userinfo_endpoint"]
OIDC_OP_JWKS_ENDPOINT = _explicit["jwks_uri"]

_broker_url = OIDC_OP_AUTHORIZATION_ENDPOINT or OIDC_OP_DISCOVERY_URL
OIDC_BROKER_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(_broker_url)) if _broker_url else ""

# Scopes asked for per login method; the broker uses them to pick the means of login.
OIDC_SCOPES = {
    "digid": env.str("OIDC_SCOPES_DIGID", default="openid digid"),
    "eherkenning": env.str("OIDC_SCOPES_EHERKENNING", default="openid eherkenning"),
    "eidas": env.str("OIDC_SCOPES_EIDAS", default="openid eidas"),
}

# Claim names per method. eHerkenning brokers send either URN claims or a plain `kvk`.
OIDC_CLAIMS = {
    "bsn": env.str("OIDC_CLAIM_BSN", default="bsn"),
    "legal_subject": env.str(
        "OIDC_CLAIM_LEGAL_SUBJECT", default="urn:etoegang:core:LegalSubjectID"
    ),
    "legal_subject_qualifier": env.str(
        "OIDC_CLAIM_LEGAL_SUBJECT_QUALIFIER",
        default="urn:etoegang:core:LegalSubjectID:namequalifier",
    ),
    "kvk": env.str("OIDC_CLAIM_KVK", default="kvk"),
    "rsin": env.str("OIDC_CLAIM_RSIN", default="rsin"),
    "vestigingsnummer": env.str(
        "OIDC_CLAIM_VESTIGINGSNUMMER", default="urn:etoegang:1.9:ServiceRestriction:Vestigingsnr"
    ),
    "vestigingsnummer_plain": env.str(
        "OIDC_CLAIM_VESTIGINGSNUMMER_PLAIN", default="vestigingsnummer"
    ),
    "acting_subject": env.str(
        "OIDC_CLAIM_ACTING_SUBJECT", default="urn:etoegang:core:ActingSubjectID"
    ),
    "acting_subject_plain": env.str("OIDC_CLAIM_ACTING_SUBJECT_PLAIN", default="acting_subject"),
    "eidas_pseudonym": env.str("OIDC_CLAIM_EIDAS_PSEUDONYM", default="eidas_pseudonym"),
    "loa": env.str("OIDC_CLAIM_LOA", default="acr"),
}
OIDC_QUALIFIER_KVK = env.str(
    "OIDC_QUALIFIER_KVK", default="urn:etoegang:1.9:EntityConcernedID:KvKnr"
)
OIDC_QUALIFIER_RSIN = env.str(
    "OIDC_QUALIFIER_RSIN", default="urn:etoegang:1.9:EntityConcernedID:RSIN"
)

# Level of assurance: broker values mapped onto the portal's one ordered scale
# (basis < midden < substantieel < hoog). Format: "value=level,value=level".
_DEFAULT_LOA_MAP = ",".join(
    [
        "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport=basis",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract=midden",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard=substantieel",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI=hoog",
        "urn:etoegang:core:assurance-class:loa2=basis",
        "urn:etoegang:core:assurance-class:loa2plus=midden",
        "urn:etoegang:core:assurance-class:loa3=substantieel",
        "urn:etoegang:core:assurance-class:loa4=hoog",
        "http://eidas.europa.eu/LoA/low=midden",
        "http://eidas.europa.eu/LoA/substantial=substantieel",
        "http://eidas.europa.eu/LoA/high=hoog",
    ]
)
OIDC_LOA_MAP = dict(
    pair.split("=", 1)
    for pair in env.str("OIDC_LOA_MAP", default=_DEFAULT_LOA_MAP).split(",")
    if "=" in pair
)
# What the portal asks the broker for (acr_values) when a page needs a higher level.
_DEFAULT_LOA_REQUEST = ",".join(
    [
        "digid:substantieel=urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
        "digid:hoog=urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
        "eherkenning:substantieel=urn:etoegang:core:assurance-class:loa3",
        "eherkenning:hoog=urn:etoegang:core:assurance-class:loa4",
        "eidas:substantieel=http://eidas.europa.eu/LoA/substantial",
        "eidas:hoog=http://eidas.europa.eu/LoA/high",
    ]
)
OIDC_LOA_REQUEST = dict(
    pair.split("=", 1)
    for pair in env.str("OIDC_LOA_REQUEST", default=_DEFAULT_LOA_REQUEST).split(",")
    if "=" in pair
)
LOA_CHANGE_CONTACT_DETAILS = env.str("LOA_CHANGE_CONTACT_DETAILS", default="substantieel")

# Sessions (DigiD norm: 15 minutes idle, warned two minutes before the end).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=15 * 60)
SESSION_WARNING_BEFORE = env.int("SESSION_WARNING_BEFORE", default=2 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=8 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Pseudonyms of acting persons in the audit trail are keyed hashes; the key is a secret.
_KEY = 'a long random value of its own, kept safe: see "Keys" in README.md'
PSEUDONYM_KEY = required(
    "PSEUDONYM_KEY", remedy=f"set {_KEY}", dev_default="development-only-pseudonym-key"
)
# Data subjects in the processing log (Logboek Dataverwerkingen): its own key, so the two
# pseudonym sets cannot be linked.
LDV_SUBJECT_KEY = required(
    "LDV_SUBJECT_KEY", remedy=f"set {_KEY}", dev_default="development-only-ldv-key"
)

# Only Django's login_required views read this: the staff's second-factor pages (maykin-2fa).
# People log in through profiles' own views (level_required), which name their login page.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
