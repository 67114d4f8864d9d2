// A real OpenID Connect provider for the SSO tests: panva's certified `oidc-provider` (npm, package.json), with its
// built-in interaction pages (a login form, then a consent form), one registered client and the accounts given.
//
//   node tests/sso/oidc_provider.mjs <config.json>
//   config: {"port": 5xxxx, "client_id": "...", "client_secret": "...", "redirect_uris": ["http://.../callback/"],
//            "accounts": {"<login>": {"email": ..., "email_verified": true, "groups": [...], "name": ...}}}
//
// It prints one line, "ready <issuer>", once it listens, and runs until it is terminated.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const accounts = config.accounts;

const provider = new Provider(issuer, {
  clients: [{
    client_id: config.client_id,
    client_secret: config.client_secret,
    redirect_uris: config.redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  // The login typed on the provider's login page is the account id; only the accounts given exist.
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...account };
      },
    };
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    groups: ['groups'],  // a scope of its own, as on Okta: the SSO configuration asks for it as an extra scope
  },
  features: { devInteractions: { enabled: true } },  // the package's own login and consent pages
  cookies: { keys: ['journey-planner-sso-tests'] },
  pkce: { required: () => true },  // the client must use PKCE (allauth does, oauth_pkce_enabled)
});
provider.proxy = false;

const server = provider.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
