// The city identity provider for the demo and the integration tests: an OpenID
// provider (oidc-provider) with one first-party client, the school platform.
// Configured only through the environment; see idp/README.md.
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Provider } from 'oidc-provider';

import { AccountStore } from './accounts.mjs';
import { loadOrCreateJwks } from './keys.mjs';
import { errorPage, loggedOutPage, loginPage, logoutPage } from './pages.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const env = (name, fallback) => process.env[name] || fallback;

const settings = {
  port: Number(env('IDP_PORT', '9000')),
  host: env('IDP_HOST', '127.0.0.1'),
  issuer: process.env.IDP_ISSUER,
  accountsFile: env('IDP_ACCOUNTS_FILE', join(HERE, '..', 'var', 'idp', 'accounts.json')),
  jwksFile: env('IDP_JWKS_FILE', join(HERE, '..', 'var', 'idp', 'jwks.json')),
  rpBaseUrls: env('IDP_RP_BASE_URLS', 'http://127.0.0.1:8000,http://localhost:8000')
    .split(',')
    .map((url) => url.trim().replace(/\/+$/, ''))
    .filter(Boolean),
  clientId: 'city-school-platform',
  clientSecret: env('IDP_CLIENT_SECRET', 'dev-only-city-sso-secret'),
  cookieKeys: env('IDP_COOKIE_KEYS', 'dev-only-city-idp-cookie-key').split(','),
};

const accounts = new AccountStore(settings.accountsFile);
const MAX_BODY_BYTES = 64 * 1024;
const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

function platformClient() {
  const [first] = settings.rpBaseUrls;
  return {
    client_id: settings.clientId,
    client_secret: settings.clientSecret,
    client_name: 'Город. Школа',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: settings.rpBaseUrls.map((base) => `${base}/oidc/callback/`),
    post_logout_redirect_uris: settings.rpBaseUrls.map((base) => `${base}/login/`),
    backchannel_logout_uri: `${first}/oidc/backchannel-logout/`,
    backchannel_logout_session_required: true,
    // mozilla-django-oidc posts client_id and client_secret in the form body.
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
  };
}

// The platform is configured here by the operator, not registered by strangers, and
// it usually sits on a loopback or private address that oidc-provider's SSRF guard
// refuses; so only its own back-channel calls skip that guard.
function trustedFetch(url, options) {
  const origins = new Set(settings.rpBaseUrls.map((base) => new URL(base).origin));
  if (origins.has(new URL(url).origin)) {
    const { dispatcher: _guard, ...rest } = options;
    return globalThis.fetch(url, rest);
  }
  return globalThis.fetch(url, options);
}

function buildProvider(issuer) {
  return new Provider(issuer, {
    clients: [platformClient()],
    jwks: loadOrCreateJwks(settings.jwksFile),
    cookies: { keys: settings.cookieKeys },
    findAccount: (ctx, sub) => accounts.findAccount(ctx, sub),
    scopes: ['openid', 'profile', 'email', 'city'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email'],
      city: ['middle_name', 'roles', 'school_ids', 'children'],
    },
    // Scope claims go into the ID token too; the platform also reads userinfo.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => { ctx.body = logoutPage(form); },
        postLogoutSuccessSource: async (ctx) => { ctx.body = loggedOutPage(); },
      },
    },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(out.error, out.error_description);
    },
    clientBasedCORS: () => false,
    fetch: trustedFetch,
    ttl: {
      AccessToken: 60 * 60,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 60 * 60,
      Session: 12 * 60 * 60,
      Grant: 12 * 60 * 60,
    },
  });
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('form too large'), { status: 413 }));
        req.destroy();
      }
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function sendPage(res, status, html) {
  res.writeHead(status, PAGE_HEADERS);
  res.end(html);
}

// First-party client: consent is implied, so grant exactly what was asked for.
async function autoConsent(provider, req, res, details) {
  const { prompt, params, session, grantId } = details;
  if (params.client_id !== settings.clientId) {
    sendPage(res, 403, errorPage('access_denied', 'Unknown client / Неизвестный клиент'));
    return;
  }
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) {
    grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  }
  if (prompt.details.missingOIDCClaims) {
    grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  }
  const result = { consent: { grantId: await grant.save() } };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
}

async function showInteraction(provider, req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    sendPage(res, 400, errorPage('invalid_request', 'Interaction mismatch'));
  } else if (details.prompt.name === 'login') {
    sendPage(res, 200, loginPage({ uid, login: details.params.login_hint }));
  } else if (details.prompt.name === 'consent') {
    await autoConsent(provider, req, res, details);
  } else {
    sendPage(res, 501, errorPage('not_implemented', details.prompt.name));
  }
}

async function submitLogin(provider, req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  const form = await readForm(req);
  if (details.uid !== uid || details.prompt.name !== 'login') {
    sendPage(res, 400, errorPage('invalid_request', 'Interaction mismatch'));
    return;
  }
  const login = form.get('login') ?? '';
  const sub = accounts.authenticate(login, form.get('password'));
  if (!sub) {
    const error = 'Неверный логин или пароль. / Wrong login or password.';
    sendPage(res, 401, loginPage({ uid, login, error }));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: sub } }, {
    mergeWithLastSubmission: false,
  });
}

async function abortInteraction(provider, req, res) {
  const result = { error: 'access_denied', error_description: 'End-User aborted interaction' };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

async function interactionRoute(provider, req, res) {
  const { pathname } = new URL(req.url, 'http://idp.invalid');
  const match = pathname.match(/^\/interaction\/([\w-]+)(\/login|\/abort)?$/);
  if (!match) {
    return false;
  }
  const [, uid, action] = match;
  if (req.method === 'GET' && !action) {
    await showInteraction(provider, req, res, uid);
  } else if (req.method === 'POST' && action === '/login') {
    await submitLogin(provider, req, res, uid);
  } else if (req.method === 'GET' && action === '/abort') {
    await abortInteraction(provider, req, res);
  } else {
    sendPage(res, 405, errorPage('method_not_allowed', req.method));
  }
  return true;
}

function handler(provider) {
  const oidc = provider.callback();
  return async (req, res) => {
    try {
      if (!(await interactionRoute(provider, req, res))) {
        oidc(req, res);
      }
    } catch (error) {
      // An expired or foreign interaction cookie lands here (SessionNotFound).
      const status = error.status ?? 500;
      if (status >= 500) {
        console.error(error);
      }
      if (!res.headersSent) {
        sendPage(res, status, errorPage(error.error ?? 'server_error', error.error_description ?? error.message));
      }
    }
  };
}

function start() {
  let handle = (_req, res) => sendPage(res, 503, errorPage('starting', 'Try again.'));
  const server = createServer((req, res) => handle(req, res));
  server.listen(settings.port, settings.host, () => {
    // IDP_PORT=0 picks a free port; the issuer then names the port actually bound.
    const { port } = server.address();
    const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
    const issuer = (settings.issuer || `http://${host}:${port}`).replace(/\/+$/, '');
    handle = handler(buildProvider(issuer));
    console.log(`city-idp listening on ${issuer}`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

start();
