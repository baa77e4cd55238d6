import { createHttpServer, type HttpServer, type Logger } from '@edgeway/platform';
import type { SigningKey } from './keys.js';
import { createMinter } from './mint.js';
import { registerJwksRoutes } from './routes/jwks.js';
import { registerTokenRoutes } from './routes/token.js';

export type { IdentityClient, Jwks, TokenRequest, TokenResponse } from './client.js';
export { createIdentityClient } from './client.js';
export { identityEnv, loadIdentityConfig } from './config.js';
export { KNOWN_USERS } from './data.js';
export { defaultKeysDir, loadOrCreateSigningKey, SIGNING_ALG, type SigningKey } from './keys.js';
export { createMinter, EXPIRES_IN, type Minter, type MinterOptions } from './mint.js';

export interface IdentityDeps {
  logger: Logger;
  /** From `loadOrCreateSigningKey`. */
  key: SigningKey;
  issuer: string;
  audience: string;
  /** Clock in epoch milliseconds. @default Date.now */
  now?: () => number;
}

/** The development identity provider: a JWKS and a token endpoint for the seed users. */
export function buildApp(deps: IdentityDeps): HttpServer {
  const server = createHttpServer({ errorShape: 'rest', logger: deps.logger });
  const mint = createMinter({ key: deps.key, issuer: deps.issuer, audience: deps.audience, now: deps.now });
  registerJwksRoutes(server.app, { key: deps.key });
  registerTokenRoutes(server.app, { mint });
  return server;
}
