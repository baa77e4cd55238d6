import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/catalog.js';
import { isGraphQLRoute } from '../graphql/route.js';

export const API_KEY_HEADER = 'x-api-key';

/** A server-to-server consumer, as configured: the key itself is never stored, only its SHA-256. */
export interface ApiKeyEntry {
  name: string;
  /** Hex SHA-256 of the key. */
  sha256: string;
  /** Requests per rate-limit window; the default budget when absent. */
  max?: number | undefined;
}

/** Who a valid `x-api-key` belongs to. */
export interface ApiClient {
  name: string;
  max: number | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    apiClient?: ApiClient;
  }
}

const ENTRY = /^([A-Za-z0-9_.-]{1,64}):([0-9a-fA-F]{64})(?::(\d{1,9}))?$/;

/**
 * Parses `API_KEYS`: a comma list of `name:sha256hex[:max]`. Returns the entries and a problem
 * per bad item (the key material is never echoed).
 */
export function parseApiKeys(spec: string): { entries: ApiKeyEntry[]; problems: string[] } {
  const entries: ApiKeyEntry[] = [];
  const problems: string[] = [];
  spec
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .forEach((item, index) => {
      const match = ENTRY.exec(item);
      if (!match?.[1] || !match[2]) {
        problems.push(`entry ${index + 1} is not name:sha256hex[:max]`);
        return;
      }
      const max = match[3] === undefined ? undefined : Number(match[3]);
      if (max === 0) problems.push(`entry ${index + 1} (${match[1]}) has a budget of 0`);
      if (entries.some((e) => e.name === match[1])) problems.push(`entry ${index + 1}: ${match[1]} is named twice`);
      entries.push({ name: match[1], sha256: match[2].toLowerCase(), max });
    });
  return { entries, problems };
}

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

/** Resolves an `x-api-key` value to its client; an unknown key is UNAUTHENTICATED, none is undefined. */
export function createApiKeyVerifier(entries: readonly ApiKeyEntry[]): (header: unknown) => ApiClient | undefined {
  const known = entries.map((entry) => ({ ...entry, digest: Buffer.from(entry.sha256, 'hex') }));
  return (header) => {
    if (header === undefined) return undefined;
    if (typeof header !== 'string' || header.length === 0 || header.length > 256) {
      throw new AppError('UNAUTHENTICATED', 'The API key is not valid');
    }
    const digest = createHash('sha256').update(header).digest();
    // Compares every entry in constant time, so timing does not tell how close a guess was.
    let found: ApiClient | undefined;
    for (const entry of known) {
      if (timingSafeEqual(entry.digest, digest)) found = { name: entry.name, max: entry.max };
    }
    if (!found) throw new AppError('UNAUTHENTICATED', 'The API key is not valid');
    return found;
  };
}

/** Sets `req.apiClient` from `x-api-key` (none: undefined); an unknown key throws UNAUTHENTICATED. */
export function identifyApiKey(
  req: FastifyRequest,
  reply: FastifyReply,
  verify: ReturnType<typeof createApiKeyVerifier>,
): void {
  try {
    req.apiClient = verify(req.headers[API_KEY_HEADER]);
  } catch (error) {
    reply.header('www-authenticate', 'ApiKey realm="edgeway"');
    throw error;
  }
}

/** Reads `x-api-key` on every GraphQL route before the body; a bad key ends the request with 401. */
export function installApiKeys(app: FastifyInstance, entries: readonly ApiKeyEntry[]): void {
  const verify = createApiKeyVerifier(entries);
  app.addHook('onRequest', async (req, reply) => {
    if (isGraphQLRoute(req)) identifyApiKey(req, reply, verify);
  });
}
