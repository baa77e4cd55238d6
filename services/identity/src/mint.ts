import { AppError } from '@edgeway/platform';
import { SignJWT } from 'jose';
import type { TokenRequest, TokenResponse } from './client.js';
import { KNOWN_USERS } from './data.js';
import type { SigningKey } from './keys.js';

/** Token lifetime bounds in seconds. */
export const EXPIRES_IN = { default: 3600, min: 60, max: 86_400 } as const;

export interface MinterOptions {
  key: SigningKey;
  issuer: string;
  audience: string;
  /** Clock in epoch milliseconds. @default Date.now */
  now?: () => number;
}

export type Minter = (request: TokenRequest) => Promise<TokenResponse>;

/** Signs access tokens for the seed users, as the real identity provider would for real ones. */
export function createMinter(options: MinterOptions): Minter {
  const now = options.now ?? Date.now;
  return async ({ sub, scope, expiresIn = EXPIRES_IN.default }) => {
    if (!KNOWN_USERS.has(sub)) {
      throw new AppError(
        'BAD_USER_INPUT',
        `Unknown user "${sub}": sub must be one of ${[...KNOWN_USERS.keys()].join(', ')}`,
      );
    }
    if (!Number.isInteger(expiresIn) || expiresIn < EXPIRES_IN.min || expiresIn > EXPIRES_IN.max) {
      throw new AppError(
        'BAD_USER_INPUT',
        `expiresIn must be a whole number of seconds in ${EXPIRES_IN.min}..${EXPIRES_IN.max}`,
      );
    }
    const iat = Math.floor(now() / 1000);
    const accessToken = await new SignJWT(scope ? { scope } : {})
      .setProtectedHeader({ alg: options.key.alg, kid: options.key.kid, typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + expiresIn)
      .sign(options.key.privateKey);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn };
  };
}
