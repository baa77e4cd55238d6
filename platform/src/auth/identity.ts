import type { IncomingHttpHeaders } from 'node:http';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { ConfigError } from '../config/index.js';
import { MIN_SIGNING_KEY_LENGTH } from '../config/security.js';
import { AppError } from '../errors/catalog.js';

/**
 * How the gateway tells a subgraph who the caller is: a short-lived JWT it signs with a secret
 * shared with the subgraphs (HS256, as Hive Gateway signs subgraph requests with HMAC), bound to
 * one subgraph by its audience. A subgraph believes nothing else, so a request sent straight to
 * it with a made-up user header, or a client's own token, gets nothing.
 */
export const INTERNAL_CREDENTIAL_HEADER = 'x-edgeway-credential';
export const INTERNAL_ISSUER = 'edgeway-gateway';
const ALG = 'HS256';

export interface InternalSignerOptions {
  /** The shared secret (`INTERNAL_SIGNING_KEY`). */
  secret: string;
  /** Lifetime of a credential. @default 60 */
  ttlSec?: number;
  /** Clock in epoch milliseconds (tests). @default Date.now */
  now?: () => number;
}

/** Signs a credential for one subgraph (`audience`), for a user or, without `userId`, anonymous. */
export type InternalSigner = (audience: string, userId: string | undefined) => Promise<string>;

const keyOf = (secret: string) => {
  if (secret.length < MIN_SIGNING_KEY_LENGTH) {
    throw new Error(`The internal signing key must be at least ${MIN_SIGNING_KEY_LENGTH} characters`);
  }
  return new TextEncoder().encode(secret);
};

/**
 * Credentials are reused for half their lifetime, per subgraph and user: signing on every
 * subgraph fetch would cost more than the fetch's own bookkeeping, and a stable credential keeps
 * identical subgraph requests identical (so they can be deduplicated).
 */
export function createInternalSigner(options: InternalSignerOptions): InternalSigner {
  const key = keyOf(options.secret);
  const ttlSec = options.ttlSec ?? 60;
  const now = options.now ?? Date.now;
  const reuse = new Map<string, { token: string; until: number }>();
  return async (audience, userId) => {
    const cacheKey = `${audience}\u0000${userId ?? ''}`;
    const at = now();
    const cached = reuse.get(cacheKey);
    if (cached && cached.until > at) return cached.token;
    const iat = Math.floor(at / 1000);
    const jwt = new SignJWT({}).setProtectedHeader({ alg: ALG, typ: 'JWT' });
    if (userId !== undefined) jwt.setSubject(userId);
    const token = await jwt
      .setIssuer(INTERNAL_ISSUER)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttlSec)
      .sign(key);
    // Bounded: a flood of distinct users only ever costs this many entries.
    if (reuse.size >= 10_000) reuse.clear();
    reuse.set(cacheKey, { token, until: at + (ttlSec * 1000) / 2 });
    return token;
  };
}

/** The caller as a subgraph learns it; `userId` is undefined for anonymous callers. */
export interface InternalCaller {
  userId: string | undefined;
}

export interface InternalVerifierOptions {
  secret: string;
  /** This subgraph's name: credentials for other subgraphs are refused. */
  audience: string;
  /** Leeway between the gateway's clock and this one. @default 5 */
  clockToleranceSec?: number;
  now?: () => number;
}

export type InternalVerifier = (headers: IncomingHttpHeaders) => Promise<InternalCaller>;

/** Checks a subgraph request's credential; anything but a valid one is UNAUTHENTICATED. */
export function createInternalVerifier(options: InternalVerifierOptions): InternalVerifier {
  const key = keyOf(options.secret);
  const now = options.now ?? Date.now;
  return async (headers) => {
    const token = headers[INTERNAL_CREDENTIAL_HEADER];
    if (typeof token !== 'string' || token.length === 0 || token.length > 2048) {
      throw new AppError('UNAUTHENTICATED', 'This service answers the gateway only');
    }
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [ALG],
        issuer: INTERNAL_ISSUER,
        audience: options.audience,
        clockTolerance: options.clockToleranceSec ?? 5,
        currentDate: new Date(now()),
        requiredClaims: ['exp', 'iat'],
      });
      const sub = payload.sub;
      if (sub !== undefined && (sub.length === 0 || sub.length > 128)) throw new joseErrors.JWTInvalid('bad sub');
      return { userId: sub };
    } catch {
      throw new AppError('UNAUTHENTICATED', 'This service answers the gateway only');
    }
  };
}

/** A development default, so `npm start` works with nothing set; production refuses it. */
export const DEVELOPMENT_SIGNING_KEY = 'edgeway-development-internal-signing-key-do-not-use-in-production';

/** `INTERNAL_SIGNING_KEY`, or the development default outside production. */
export function internalSigningKey(config: { NODE_ENV: string; INTERNAL_SIGNING_KEY?: string | undefined }): string {
  const key = config.INTERNAL_SIGNING_KEY;
  if (config.NODE_ENV !== 'production') return key ?? DEVELOPMENT_SIGNING_KEY;
  if (!key || key === DEVELOPMENT_SIGNING_KEY) {
    throw new ConfigError([
      'INTERNAL_SIGNING_KEY: required in production, a random secret (32+ characters) shared by the gateway and subgraphs',
    ]);
  }
  return key;
}
