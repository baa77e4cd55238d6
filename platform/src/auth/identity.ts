import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ConfigError } from '../config/index.js';
import { MIN_SIGNING_KEY_LENGTH } from '../config/security.js';
import { AppError } from '../errors/catalog.js';

/**
 * How the gateway tells a subgraph who the caller is: a short-lived JWT it signs with a secret
 * shared with the subgraphs (HS256, as Hive Gateway signs subgraph requests with HMAC), bound to
 * one subgraph by its audience and to one request body by its SHA-256 (`bh`). A subgraph believes
 * nothing else, so a request sent straight to it with a made-up user header, a client's own token,
 * or a credential captured from another request (with another body) gets nothing.
 *
 * Signed and checked with node:crypto directly: it is on the gateway's hot path (every subgraph
 * fetch), and a fixed header (`alg` HS256, nothing else accepted) leaves no algorithm to confuse.
 */
export const INTERNAL_CREDENTIAL_HEADER = 'x-edgeway-credential';
export const INTERNAL_ISSUER = 'edgeway-gateway';
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const REFUSED = 'This service answers the gateway only';
/** Longest lifetime a verifier accepts, whatever a signer with the key chose. */
const MAX_TTL_SEC = 60;

export interface InternalSignerOptions {
  /** The shared secret (`INTERNAL_SIGNING_KEY`). */
  secret: string;
  /** Lifetime of a credential; it is reused for half of it. @default 10 */
  ttlSec?: number;
  /** Clock in epoch milliseconds (tests). @default Date.now */
  now?: () => number;
}

/** Signs a credential for one subgraph (`audience`) and one request `body`, for a user or, without `userId`, anonymous. */
export type InternalSigner = (audience: string, userId: string | undefined, body: string | Uint8Array) => string;

/** The SHA-256 of a request body as the credential carries it (base64url); one-shot `hash` skips a Hash object. */
export const bodyHash = (body: string | Uint8Array): string => hash('sha256', body, 'base64url');

const keyOf = (secret: string) => {
  if (secret.length < MIN_SIGNING_KEY_LENGTH) {
    throw new Error(`The internal signing key must be at least ${MIN_SIGNING_KEY_LENGTH} characters`);
  }
  return Buffer.from(secret, 'utf8');
};

const signatureOf = (key: Buffer, input: string) => createHmac('sha256', key).update(input).digest('base64url');

/** Bodies up to this size are remembered with their credential; 2,000 of them are at most 8 MiB. */
const REUSE_MAX_BODY = 4096;
const REUSE_MAX_ENTRIES = 2000;

/**
 * Credentials are reused for half their lifetime per subgraph, user and body: identical subgraph
 * requests then stay identical (so they can be deduplicated), and a repeated query (the common
 * case: the same screen's plan) costs a map lookup by the body's text instead of SHA-256 and HMAC.
 */
export function createInternalSigner(options: InternalSignerOptions): InternalSigner {
  const key = keyOf(options.secret);
  const ttlSec = Math.min(options.ttlSec ?? 10, MAX_TTL_SEC);
  const now = options.now ?? Date.now;
  const reuse = new Map<string, { token: string; until: number }>();
  const signNew = (audience: string, userId: string | undefined, body: string | Uint8Array, at: number) => {
    const iat = Math.floor(at / 1000);
    const claims = { iss: INTERNAL_ISSUER, aud: audience, sub: userId, iat, exp: iat + ttlSec, bh: bodyHash(body) };
    const input = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${input}.${signatureOf(key, input)}`;
  };
  return (audience, userId, body) => {
    const at = now();
    if (typeof body !== 'string' || body.length > REUSE_MAX_BODY) return signNew(audience, userId, body, at);
    const cacheKey = `${audience}\u0000${userId ?? ''}\u0000${body}`;
    const cached = reuse.get(cacheKey);
    if (cached && cached.until > at) return cached.token;
    const token = signNew(audience, userId, body, at);
    // Bounded: a flood of distinct users or queries only ever costs this many entries.
    if (reuse.size >= REUSE_MAX_ENTRIES) reuse.clear();
    reuse.set(cacheKey, { token, until: at + (ttlSec * 1000) / 2 });
    return token;
  };
}

/** The caller as a subgraph learns it from a valid credential; `userId` is undefined for anonymous callers. */
export interface InternalCaller {
  userId: string | undefined;
  /** The SHA-256 (base64url) of the body the credential was signed for (see `checkInternalRequest`). */
  bodyHash: string;
  /** Signed with the development key: accepted from this machine only. */
  developmentKey: boolean;
}

export interface InternalVerifierOptions {
  secret: string;
  /** This subgraph's name: credentials for other subgraphs are refused. */
  audience: string;
  /** Leeway between the gateway's clock and this one. @default 5 */
  clockToleranceSec?: number;
  now?: () => number;
}

/** Checks a credential's signature, audience and lifetime (the body is checked once read: `checkInternalRequest`). */
export type InternalVerifier = (headers: IncomingHttpHeaders) => Promise<InternalCaller>;

type Claims = { iss?: unknown; aud?: unknown; sub?: unknown; iat?: unknown; exp?: unknown; bh?: unknown };

/** Checks a subgraph request's credential; anything but a valid one is UNAUTHENTICATED. */
export function createInternalVerifier(options: InternalVerifierOptions): InternalVerifier {
  const key = keyOf(options.secret);
  const developmentKey = options.secret === DEVELOPMENT_SIGNING_KEY;
  const now = options.now ?? Date.now;
  const tolerance = options.clockToleranceSec ?? 5;
  return async (headers) => {
    const token = headers[INTERNAL_CREDENTIAL_HEADER];
    const parts = typeof token === 'string' && token.length <= 2048 ? token.split('.') : [];
    const [header, payload = '', signature = ''] = parts;
    if (parts.length !== 3 || header !== HEADER) throw new AppError('UNAUTHENTICATED', REFUSED);
    const expected = Buffer.from(signatureOf(key, `${header}.${payload}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError('UNAUTHENTICATED', REFUSED);
    }
    let claims: Claims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
    } catch {
      throw new AppError('UNAUTHENTICATED', REFUSED);
    }
    const { iss, aud, sub, iat, exp, bh } = claims ?? {};
    const nowSec = now() / 1000;
    const valid =
      iss === INTERNAL_ISSUER &&
      aud === options.audience &&
      Number.isInteger(iat) &&
      Number.isInteger(exp) &&
      (exp as number) > (iat as number) &&
      (exp as number) - (iat as number) <= MAX_TTL_SEC &&
      (iat as number) <= nowSec + tolerance &&
      nowSec < (exp as number) + tolerance &&
      typeof bh === 'string' &&
      bh.length === 43 &&
      (sub === undefined || (typeof sub === 'string' && sub.length > 0 && sub.length <= 128));
    if (!valid) throw new AppError('UNAUTHENTICATED', REFUSED);
    return { userId: sub as string | undefined, bodyHash: bh, developmentKey };
  };
}

const LOOPBACK = /^(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;
const EMPTY = Buffer.alloc(0);

/**
 * The second half of the check, once the request's raw body is read: the credential must have
 * been signed for exactly these bytes (a GET has none, so a captured credential is no good there
 * either), and one signed with the development key is only good from this machine (`peer` is
 * the socket's address, never a forwarded one).
 */
export function checkInternalRequest(
  caller: InternalCaller,
  rawBody: Uint8Array | undefined,
  peer: string | undefined,
) {
  if (caller.developmentKey && !(peer && LOOPBACK.test(peer))) {
    throw new AppError('UNAUTHENTICATED', 'The development signing key is accepted from this machine only');
  }
  if (bodyHash(rawBody ?? EMPTY) !== caller.bodyHash) throw new AppError('UNAUTHENTICATED', REFUSED);
}

/** A development default, so `npm start` works with nothing set; production refuses it, other modes take it from loopback only. */
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
