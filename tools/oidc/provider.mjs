// A real OpenID Connect provider for the single sign-on tests: the npm package
// oidc-provider, serving on 127.0.0.1 at the port given, with the clients and
// accounts of a JSON file. Never used in production.
//
//   node tools/oidc/provider.mjs --port 5556 --config accounts.json
//
// The file (read again at every sign-in, so a test can change a person's
// groups between two sign-ins):
//   {"clients": [{"client_id": "...", "client_secret": "...",
//                 "redirect_uris": ["http://127.0.0.1:8000/oidc/callback/"],
//                 "post_logout_redirect_uris": ["http://127.0.0.1:8000/"],
//                 "id_token_ttl": 1, "token_delay_ms": 2000}],
//    "accounts": {"alice": {"password": "...", "claims": {"email": "...",
//                 "name": "...", "groups": ["PR-Approvers-Housing"]}}}}
// id_token_ttl (seconds) and token_delay_ms (the token endpoint answers that
// much later) are optional: together they hand a client an ID token that has
// expired by the time it arrives, as a slow network or a wrong clock would.
//
// As Microsoft Entra ID does, the groups claim comes in the ID token without
// being asked for by a scope. Authorization code flow with PKCE only.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: { port: { type: 'string' }, config: { type: 'string' } },
});
if (!args.port || !args.config) {
  console.error('usage: node provider.mjs --port <port> --config <file.json>');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${args.port}`;
const readConfig = () => JSON.parse(readFileSync(args.config, 'utf8'));
const config = readConfig();

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const clients = config.clients.map((client) => ({
  client_id: client.client_id,
  client_secret: client.client_secret,
  redirect_uris: client.redirect_uris,
  post_logout_redirect_uris: client.post_logout_redirect_uris || [],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
}));
const byClient = Object.fromEntries(config.clients.map((client) => [client.client_id, client]));

function account(id) {
  return readConfig().accounts[id];
}

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true },
  // Every claim of the scopes granted goes in the ID token, as Entra's do.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub', 'groups'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username', 'oid'],
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out of the test provider?', `${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page('You have signed out of the test provider', '');
      },
    },
  },
  ttl: {
    IdToken: (ctx, token, client) => byClient[client.clientId]?.id_token_ttl || 3600,
    AccessToken: 600,
    AuthorizationCode: 60,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  async findAccount(ctx, sub) {
    if (!account(sub)) return undefined;
    return {
      accountId: sub,
      async claims() {
        const found = account(sub);
        return { sub, ...(found ? found.claims : {}) };
      },
    };
  },
  // A first-party client: no consent page, every scope asked for is granted.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(ctx.oidc.params.scope || 'openid');
    await grant.save();
    return grant;
  },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('The test provider refused the request',
      Object.entries(out).map(([key, value]) => `<p>${escape(key)}: ${escape(value)}</p>`).join(''));
  },
});

// The token endpoint of a client with token_delay_ms answers that much later.
provider.use(async (ctx, next) => {
  await next();
  const delay = ctx.path === '/token' && byClient[ctx.oidc?.client?.clientId]?.token_delay_ms;
  if (delay) await new Promise((resolve) => { setTimeout(resolve, delay); });
});

function loginForm(uid, message = '', username = '') {
  const error = message ? `<p role="alert">${escape(message)}</p>` : '';
  return page('Sign in to the test provider', `${error}
<form method="post" action="/interaction/${escape(uid)}/login">
<p><label for="username">Username</label> <input id="username" name="username" value="${escape(username)}" autocomplete="username"></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password"></p>
<p><button type="submit">Sign in</button></p>
</form>`);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

function send(res, status, html) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

// The provider's own sign-in page: a username and password from the file.
async function interaction(req, res, url) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    send(res, 200, loginForm(details.uid));
    return;
  }
  const form = await readForm(req);
  const username = form.get('username') || '';
  const found = account(username);
  if (!found || found.password !== form.get('password')) {
    send(res, 200, loginForm(details.uid, 'Wrong username or password.', username));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: username } }, {
    mergeWithLastSubmission: false,
  });
}

const handle = provider.callback();
const server = createServer((req, res) => {
  const url = new URL(req.url, issuer);
  if (url.pathname.startsWith('/interaction/')) {
    interaction(req, res, url).catch((error) => send(res, 400, page('Sign-in failed', `<p>${escape(error.message)}</p>`)));
    return;
  }
  handle(req, res);
});
server.listen(Number(args.port), '127.0.0.1', () => {
  console.log(`OpenID provider at ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
