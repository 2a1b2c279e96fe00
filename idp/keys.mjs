// The provider's signing keys: a private JWKS on disk, created once so that tokens
// and sessions of the demo survive a restart (and tests can bring their own key).
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

function createJwks() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' }] };
}

export function loadOrCreateJwks(path) {
  if (existsSync(path)) {
    const jwks = JSON.parse(readFileSync(path, 'utf8'));
    if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) {
      throw new Error(`${path} must be a JWKS with at least one private key`);
    }
    return jwks;
  }
  const jwks = createJwks();
  mkdirSync(dirname(path), { recursive: true });
  // Private key material: readable by the owner only.
  writeFileSync(path, JSON.stringify(jwks, null, 2), { mode: 0o600 });
  return jwks;
}
