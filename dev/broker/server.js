// Development OpenID Connect provider ("broker") for Mijn Omgeving Zakelijk.
//
// A real OpenID provider (npm oidc-provider) with fictional DigiD,
// eHerkenning and eIDAS test identities. For local development and automated
// tests only: everything lives in memory and a fresh signing key is made at
// every start. All configuration comes from environment variables; see
// README.md in this folder.

import { generateKeyPairSync, randomBytes } from 'node:crypto';

import Provider, { errors, interactionPolicy } from 'oidc-provider';

import {
  IDENTITY_BY_ID, LEVELS, METHODS, identityClaims, methodClaimNames,
} from './identities.js';
import {
  errorPage, esc, loggedOutPage, loginPage, logoutPage,
} from './views.js';

// --- configuration -----------------------------------------------------------

function envInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

const HOST = process.env.BROKER_HOST || '127.0.0.1';
const PORT = envInt('BROKER_PORT', 8090);
const ISSUER = process.env.BROKER_ISSUER || `http://${HOST}:${PORT}`;
const CLIENT_ID = process.env.BROKER_CLIENT_ID || 'mijn-omgeving-dev';
const CLIENT_SECRET = process.env.BROKER_CLIENT_SECRET || 'dev-broker-secret';
const KVK_STYLE = process.env.BROKER_KVK_STYLE || 'urn';
const LOA_CLAIM = process.env.BROKER_LOA_CLAIM || 'acr';
const TOKEN_DELAY_MS = envInt('BROKER_TOKEN_DELAY_MS', 0);

if (!['urn', 'plain'].includes(KVK_STYLE)) {
  throw new Error(`BROKER_KVK_STYLE must be "urn" or "plain", got ${JSON.stringify(KVK_STYLE)}`);
}

const METHOD_NAMES = Object.keys(METHODS);
const CLAIMS_BY_METHOD = methodClaimNames(KVK_STYLE);
const ALL_METHOD_CLAIMS = METHOD_NAMES.flatMap((method) => CLAIMS_BY_METHOD[method]);
// acr is listed so the ID token always carries it (oidc-provider otherwise only
// adds acr when the RP asked for it); the custom LoA claim, if any, likewise.
const BASE_CLAIMS = ['sub', 'acr', 'login_method', ...(LOA_CLAIM === 'acr' ? [] : [LOA_CLAIM])];

// A fresh RS256 key per start: tests can check that RPs pick up key changes.
function freshSigningKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: `dev-${randomBytes(8).toString('hex')}`, alg: 'RS256', use: 'sig' };
}

// --- redirect URIs -------------------------------------------------------------

// Tests run Django on random ports, so besides the registered URIs the broker
// accepts any redirect to a local development host: plain http, or https for a
// production-like start behind a proxy (tests/test_production_start.py).
const DEV_HOSTS = new Set(['127.0.0.1', 'localhost', 'testserver']);

function isDevUri(value) {
  try {
    const url = new URL(value);
    return ['http:', 'https:'].includes(url.protocol) && DEV_HOSTS.has(url.hostname)
      && !url.hash && !url.username && !url.password;
  } catch {
    return false;
  }
}

// oidc-provider has no setting for wildcard redirect URIs; every check (the
// authorization request, the error redirects and RP-initiated logout) goes
// through these two Client methods, so widen them on this provider's Client
// class and keep the original exact-match check for everything else.
function allowDevRedirectUris(provider) {
  const { prototype } = provider.Client;
  const exactRedirect = prototype.redirectUriAllowed;
  const exactPostLogout = prototype.postLogoutRedirectUriAllowed;
  prototype.redirectUriAllowed = function redirectUriAllowed(uri) {
    return isDevUri(uri) || exactRedirect.call(this, uri);
  };
  prototype.postLogoutRedirectUriAllowed = function postLogoutRedirectUriAllowed(uri) {
    return isDevUri(uri) || exactPostLogout.call(this, uri);
  };
}

// --- interaction policy --------------------------------------------------------

// Step-up: any request with acr_values always shows the login page again
// (prompt=login already does that by default). Otherwise a broker session
// gives normal SSO.
function buildPolicy() {
  const { base, Check } = interactionPolicy;
  const policy = base();
  policy.get('login').checks.add(new Check(
    'acr_values_step_up',
    'acr_values requested, the End-User must authenticate again',
    (ctx) => (ctx.oidc.params.acr_values && !ctx.oidc.result?.login
      ? Check.REQUEST_PROMPT
      : Check.NO_NEED_TO_PROMPT),
  ));
  return policy;
}

// --- accounts ----------------------------------------------------------------

// The account id (sub) is the test identity id. The level of assurance belongs
// to the login, not the account: at the token endpoint `token` is the
// authorization code (which has acr); at userinfo it is the access token,
// which got the acr copied into `extra` by extraTokenClaims below.
async function findAccount(ctx, sub, token) {
  const identity = IDENTITY_BY_ID.get(sub);
  if (!identity) return undefined;
  return {
    accountId: sub,
    async claims() {
      const level = token?.acr ?? token?.extra?.acr ?? ctx?.oidc?.session?.acr;
      return {
        sub,
        login_method: identity.method,
        ...identityClaims(identity, KVK_STYLE),
        ...(level ? { acr: level, [LOA_CLAIM]: level } : {}),
      };
    },
  };
}

// Consent is implied for the (only) configured client: grant whatever OpenID
// scopes and claims the request asks for, so no consent screen ever shows.
async function loadExistingGrant(ctx) {
  const { oidc } = ctx;
  const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
  let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  if (!grant || grant.accountId !== oidc.session.accountId) {
    grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
  }
  grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' ') || 'openid');
  grant.addOIDCClaims([...oidc.requestParamClaims]);
  await grant.save();
  return grant;
}

// --- provider --------------------------------------------------------------------

function createProvider() {
  const provider = new Provider(ISSUER, {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      client_name: 'Mijn Omgeving Zakelijk (ontwikkeling)',
      // Nominal registrations; any local dev URI is accepted as well (see above).
      redirect_uris: ['http://127.0.0.1:8000/oidc/callback/', 'http://localhost:8000/oidc/callback/'],
      post_logout_redirect_uris: ['http://127.0.0.1:8000/', 'http://localhost:8000/'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      // Both client_secret_basic and client_secret_post are accepted for a
      // client registered with either one.
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    }],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    responseTypes: ['code'],
    pkce: { required: () => true }, // only S256 exists in oidc-provider 9
    allowOmittingSingleRegisteredRedirectUri: false,
    scopes: ['openid', ...METHOD_NAMES, 'profile'],
    // Claims follow the chosen identity. The method scopes select which login
    // section is shown; the claims are granted with openid so an RP that asks
    // for plain "openid" still receives the identifiers of what the user chose.
    claims: {
      openid: [...BASE_CLAIMS, ...ALL_METHOD_CLAIMS],
      ...Object.fromEntries(METHOD_NAMES.map((method) => [method, CLAIMS_BY_METHOD[method]])),
      profile: ['given_name', 'family_name', 'birthdate'],
      acr: null,
      auth_time: null,
      sid: null,
      iss: null,
    },
    conformIdTokenClaims: false, // claims in the ID token as well as in userinfo
    acrValues: METHOD_NAMES.flatMap((method) => LEVELS[method].map((level) => level.acr)),
    findAccount,
    loadExistingGrant,
    extraTokenClaims: async (ctx, token) => {
      const code = ctx?.oidc?.entities?.AuthorizationCode;
      return token.kind === 'AccessToken' && code?.acr ? { acr: code.acr } : undefined;
    },
    interactions: { policy: buildPolicy(), url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    jwks: { keys: [freshSigningKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => { ctx.type = 'html'; ctx.body = logoutPage(form); },
        postLogoutSuccessSource: async (ctx) => { ctx.type = 'html'; ctx.body = loggedOutPage(); },
      },
    },
    renderError: async (ctx, out) => { ctx.type = 'html'; ctx.body = errorPage(out); },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 600,
      IdToken: 3600,
      Interaction: 3600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
  });

  allowDevRedirectUris(provider);

  // One line per failed protocol step, so RP developers see why.
  for (const event of ['authorization.error', 'grant.error', 'userinfo.error', 'end_session.error']) {
    provider.on(event, (ctx, err) => {
      console.log(`${event}: ${err.error || err.name} ${err.error_description || err.message}`);
    });
  }
  provider.on('server_error', (ctx, err) => console.error('server_error:', err));

  provider.use(logRequests);
  provider.use(delayTokenEndpoint);
  provider.use(dutchLogoutForms);
  provider.use(interactionRoutes(provider));
  return provider;
}

// --- middleware ------------------------------------------------------------------

async function logRequests(ctx, next) {
  if (ctx.path === '/favicon.ico') { ctx.status = 204; return; } // browsers ask; keep logs quiet
  const start = Date.now();
  try {
    await next();
  } finally {
    console.log(`${ctx.method} ${ctx.path} ${ctx.status} ${Date.now() - start}ms`);
  }
}

// BROKER_TOKEN_DELAY_MS simulates a slow broker at the token endpoint.
async function delayTokenEndpoint(ctx, next) {
  if (TOKEN_DELAY_MS > 0 && ctx.method === 'POST' && ctx.path === '/token') {
    await new Promise((resolve) => { setTimeout(resolve, TOKEN_DELAY_MS); });
  }
  await next();
}

// oidc-provider answers two logout steps with its own English self-submitting
// form instead of logoutSource: RP-initiated logout when the broker has no
// session any more, and the forced logout when another identity logs in over
// an existing broker session. Re-render those as our page, so they too work
// without JavaScript through the "Uitloggen" button.
async function dutchLogoutForms(ctx, next) {
  await next();
  if (typeof ctx.body !== 'string' || ctx.body.includes('id="logout-submit"')) return;
  if (!['end_session', 'resume'].includes(ctx.oidc?.route)) return;
  const action = ctx.oidc.urlFor('end_session_confirm');
  const secret = ctx.oidc.session?.state?.secret;
  if (!secret || !ctx.body.includes(`action="${action}"`)) return;
  const form = `<form id="op.logoutForm" method="post" action="${esc(action)}">`
    + `<input type="hidden" name="xsrf" value="${esc(secret)}"></form>`;
  ctx.body = logoutPage(form, ctx.oidc.route === 'resume'
    ? 'U logt in met een andere testidentiteit; de vorige sessie bij de ontwikkel-broker wordt eerst beëindigd.'
    : 'U wordt uitgelogd bij de ontwikkel-broker.');
}

async function readForm(req, limit = 16 * 1024) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > limit) throw new Error('form body too large');
  }
  return new URLSearchParams(body);
}

// Methods to show: those named in the request scope, otherwise all of them.
function requestedMethods(scope = '') {
  const scopes = new Set(scope.split(' '));
  const named = METHOD_NAMES.filter((method) => scopes.has(method));
  return named.length ? named : METHOD_NAMES;
}

// GET  /interaction/:uid  renders the login page;
// POST /interaction/:uid  with action=login (identity, level, method) or
//                         action=cancel (access_denied back to the RP).
function interactionRoutes(provider) {
  return async function interaction(ctx, next) {
    const match = /^\/interaction\/([\w-]+)$/.exec(ctx.path);
    if (!match || !['GET', 'POST'].includes(ctx.method)) return next();
    ctx.set('cache-control', 'no-store');

    let details;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch (err) {
      if (!(err instanceof errors.SessionNotFound)) throw err;
      details = undefined;
    }
    if (!details || details.uid !== match[1]) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = errorPage({ error: 'invalid_request', error_description: 'Deze inlogpoging is verlopen of onbekend. Begin opnieuw bij de applicatie.' });
      return undefined;
    }

    const finish = async (result) => {
      const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
      ctx.status = 303;
      ctx.redirect(returnTo);
    };

    // Only reached when the RP explicitly sends prompt=consent: grant it.
    if (details.prompt.name === 'consent') {
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope || 'openid');
      return finish({ consent: { grantId: await grant.save() } });
    }

    const client = await provider.Client.find(details.params.client_id);
    const methods = requestedMethods(details.params.scope);
    const render = (status, error) => {
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = loginPage({
        uid: details.uid,
        clientName: client?.clientName || details.params.client_id,
        methods,
        acrValues: details.params.acr_values,
        error,
      });
    };

    if (ctx.method === 'GET') return render(200);

    const form = await readForm(ctx.req);
    if (form.get('action') === 'cancel') {
      return finish({ error: 'access_denied', error_description: 'De gebruiker heeft het inloggen geannuleerd.' });
    }

    const method = form.get('method');
    const identity = IDENTITY_BY_ID.get(form.get('identity'));
    const level = LEVELS[method]?.find((candidate) => candidate.acr === form.get('level'));
    if (!identity || identity.method !== method || !level) {
      return render(400, 'Kies een testidentiteit en een betrouwbaarheidsniveau van dezelfde inlogmethode.');
    }
    return finish({
      login: { accountId: identity.id, acr: level.acr, remember: true },
    });
  };
}

// --- start / stop ----------------------------------------------------------------

const provider = createProvider();
const server = provider.listen(PORT, HOST, () => {
  console.log(`broker ready on ${ISSUER}`);
});

function shutdown(signal) {
  console.log(`broker stopping (${signal})`);
  server.close(() => process.exit(0));
  server.closeAllConnections(); // keep-alive connections would delay close()
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
