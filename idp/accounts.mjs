// City accounts, read from a JSON file on every look-up so that a test or the demo
// can change roles and family links between two sign-ins without a restart.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

function readAccounts(path) {
  let accounts;
  try {
    accounts = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') {
      return [];
    }
    throw new Error(`cannot read the accounts file ${path}: ${error.message}`);
  }
  if (!Array.isArray(accounts)) {
    throw new Error(`the accounts file ${path} must hold a JSON list`);
  }
  return accounts;
}

// Compares digests so that the time taken does not depend on where the strings differ.
function sameSecret(given, expected) {
  const digest = (value) => createHash('sha256').update(String(value)).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function accountClaims(account) {
  const claims = account.claims ?? {};
  const name = [claims.given_name, claims.middle_name, claims.family_name]
    .filter(Boolean)
    .join(' ');
  return { ...claims, ...(name ? { name } : {}), sub: account.sub };
}

export class AccountStore {
  constructor(path) {
    this.path = path;
  }

  // The oidc-provider account interface: claims() is filtered by the granted scopes.
  async findAccount(_ctx, sub) {
    const account = readAccounts(this.path).find((candidate) => candidate.sub === sub);
    if (!account) {
      return undefined;
    }
    return { accountId: account.sub, claims: async () => accountClaims(account) };
  }

  // Returns the account's sub when login and password match, otherwise null.
  authenticate(login, password) {
    const account = readAccounts(this.path).find(
      (candidate) => candidate.login === login,
    );
    // Compare even for an unknown login, so timing does not reveal which logins exist.
    const matches = sameSecret(password ?? '', account?.password ?? '\0unknown');
    return account && matches ? account.sub : null;
  }
}
