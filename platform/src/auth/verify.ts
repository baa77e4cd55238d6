import { type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';
import { AppError } from '../errors/catalog.js';
import type { Logger } from '../log/logger.js';
import { createRemoteKeys, type RemoteKeysOptions } from './jwks.js';

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
  /** How a JWKS URL is fetched and cached (see `createRemoteKeys`). */
  jwks?: RemoteKeysOptions;
  /** Told when the JWKS endpoint becomes unreachable (the last good keys keep serving) and back. */
  logger?: Logger;
  /**
   * Accepted algorithms, a subset of the asymmetric ones: with HMAC a verifier would take the
   * public key as a shared secret, and anyone could sign. @default ['RS256','ES256','EdDSA']
   */
  algorithms?: AsymmetricAlgorithm[];
  /** Leeway for exp, nbf and iat between clocks (`JWT_CLOCK_SKEW_S`). @default 30 seconds */
  clockToleranceSec?: number;
  /**
   * Longest lifetime a token may claim (`exp - iat`) and longest time since its `iat`
   * (`JWT_MAX_LIFETIME_S`): a stolen long-lived token is refused outright. Tokens must carry
   * `iat`, not in the future beyond the clock tolerance. @default 86400 (a day)
   */
  maxLifetimeSec?: number;
  /**
   * How long a verified token is taken without checking its signature again (never past its
   * expiry): a client sends the same token with every request, and the signature check was a
   * visible share of the gateway's CPU. Bounds how long a token signed by a key since removed
   * from the JWKS is still accepted. 0 turns it off. @default 60000
   */
  cacheMs?: number;
  /** The clock (tests). @default Date.now */
  now?: () => number;
}

/** Tokens remembered at once; the oldest is forgotten first. */
const CACHE_ENTRIES = 10_000;

export const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** Larger than any sane access token; parsing a megabyte of base64 is work an attacker should not get. */
const MAX_TOKEN_LENGTH = 8192;

export type TokenVerifier = (authorization: string | undefined) => Promise<Principal | undefined>;

// The scheme is case-insensitive (RFC 9110 section 11.1).
const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i;

class LifetimeTooLong extends Error {}

function describe(error: unknown): string {
  if (error instanceof LifetimeTooLong) return "The token's lifetime is longer than accepted";
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'iat')
    return "The token's iat claim is not accepted";
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf')
    return 'The token is not valid yet';
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
  const { logger } = options;
  const onStatus: RemoteKeysOptions['onStatus'] = ({ ok, error }) =>
    ok
      ? logger?.info('JWKS reachable again')
      : logger?.warn({ error }, 'JWKS unreachable: the last good keys keep serving');
  const getKey =
    options.keys instanceof URL ? createRemoteKeys(options.keys, { onStatus, ...options.jwks }) : options.keys;
  const algorithms = [...(options.algorithms ?? ASYMMETRIC_ALGORITHMS)];
  const refused = algorithms.filter((alg) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg));
  if (refused.length > 0 || algorithms.length === 0) {
    throw new Error(
      `Token algorithms must be some of ${ASYMMETRIC_ALGORITHMS.join(', ')}; got ${algorithms.join(', ')}`,
    );
  }
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? 60_000;
  const toleranceSec = options.clockToleranceSec ?? 30;
  const toleranceMs = toleranceSec * 1000;
  const maxLifetimeSec = options.maxLifetimeSec ?? 86_400;
  const verified = new Map<string, { principal: Principal; until: number }>();
  return async (authorization) => {
    if (authorization === undefined || authorization === '') return undefined;
    if (authorization.length > MAX_TOKEN_LENGTH) throw new AppError('UNAUTHENTICATED', 'The token is too long');
    const match = BEARER.exec(authorization.trim());
    if (!match?.[1]) throw new AppError('UNAUTHENTICATED', 'Expected "Authorization: Bearer <token>"');
    const token = match[1];
    const known = verified.get(token);
    if (known && known.until > now()) return known.principal;
    if (known) verified.delete(token);
    try {
      const { payload } = await jwtVerify(token, getKey, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        clockTolerance: toleranceSec,
        // Also refuses an iat in the future (beyond the tolerance) or older than the lifetime.
        maxTokenAge: maxLifetimeSec,
        currentDate: new Date(now()),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      if (
        typeof payload.exp === 'number' &&
        typeof payload.iat === 'number' &&
        payload.exp - payload.iat > maxLifetimeSec
      ) {
        throw new LifetimeTooLong();
      }
      // sub names the caller everywhere (subgraph credentials, rate-limit keys): a sane string only.
      if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 128) {
        throw new joseErrors.JWTClaimValidationFailed('unexpected "sub" claim value', payload, 'sub');
      }
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      const principal: Principal = { sub: payload.sub, scopes: scope.split(' ').filter(Boolean), token };
      if (cacheMs > 0 && typeof payload.exp === 'number') {
        if (verified.size >= CACHE_ENTRIES) verified.delete(verified.keys().next().value as string);
        verified.set(token, { principal, until: Math.min(now() + cacheMs, payload.exp * 1000 + toleranceMs) });
      }
      return principal;
    } catch (error) {
      throw new AppError('UNAUTHENTICATED', describe(error));
    }
  };
}
