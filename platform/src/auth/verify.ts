import { createRemoteJWKSet, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';
import { AppError } from '../errors/catalog.js';

/** Who is calling. Anonymous callers have no Principal. */
export interface Principal {
  sub: string;
  scopes: string[];
  /** The bearer token as received, forwarded to upstreams that verify it themselves. */
  token: string;
}

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Where the signing keys come from: a JWKS URL, or a key getter (tests). */
  keys: URL | JWTVerifyGetKey;
  /** Asymmetric algorithms only: HMAC would let a public key sign. @default ['RS256','ES256','EdDSA'] */
  algorithms?: string[];
  /** Leeway for exp/nbf between clocks. @default 30 seconds */
  clockToleranceSec?: number;
}

export type TokenVerifier = (authorization: string | undefined) => Promise<Principal | undefined>;

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not accepted`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "The token's algorithm is not allowed";
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'The token was signed by an unknown key';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "The token's signature is invalid";
  return 'The token is invalid';
}

/**
 * Verifies `Authorization: Bearer <JWT>` with jose: signature against the JWKS (cached, refetched
 * on an unknown kid with a cool-down), algorithm allow-list, issuer, audience, expiry and
 * not-before. No header means anonymous; anything else that is not a valid token is
 * UNAUTHENTICATED.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const getKey =
    options.keys instanceof URL
      ? createRemoteJWKSet(options.keys, { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 2000 })
      : options.keys;
  const algorithms = options.algorithms ?? ['RS256', 'ES256', 'EdDSA'];
  return async (authorization) => {
    if (authorization === undefined || authorization === '') return undefined;
    const match = BEARER.exec(authorization.trim());
    if (!match?.[1]) throw new AppError('UNAUTHENTICATED', 'Expected "Authorization: Bearer <token>"');
    const token = match[1];
    try {
      const { payload } = await jwtVerify(token, getKey, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        clockTolerance: options.clockToleranceSec ?? 30,
        requiredClaims: ['sub', 'exp'],
      });
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      return { sub: String(payload.sub), scopes: scope.split(' ').filter(Boolean), token };
    } catch (error) {
      throw new AppError('UNAUTHENTICATED', describe(error));
    }
  };
}
