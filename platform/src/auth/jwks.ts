import { createLocalJWKSet, errors as joseErrors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Agent as UndiciAgent } from 'undici';
import { Agent } from '../resilience/undici.js';

export interface RemoteKeysOptions {
  /** Refetch the set in the background once it is this old; it is served meanwhile. @default 600000 */
  maxAgeMs?: number;
  /** At most one refetch per this long for an unknown `kid` or after a failure. @default 30000 */
  cooldownMs?: number;
  /** Longest wait for the JWKS endpoint. @default 2000 */
  timeoutMs?: number;
  /** Clock in epoch milliseconds (tests). @default Date.now */
  now?: () => number;
  /** Told when a refetch fails while the last good set keeps serving, and when it recovers. */
  onStatus?: (status: { ok: boolean; error?: string }) => void;
}

export type RemoteKeys = JWTVerifyGetKey & {
  /** Fetches the set now (start-up warm-up); resolves false when that failed. */
  refresh(): Promise<boolean>;
};

function isKeySet(value: unknown): value is JSONWebKeySet {
  return typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys);
}

/**
 * A JWKS resolver that keeps the last good key set. jose's `createRemoteJWKSet` drops its keys
 * once they are older than `cacheMaxAge` and then fails every token while the endpoint is down;
 * an identity provider's outage must not sign everybody out. So: the set is fetched once, served
 * from memory, refreshed in the background when old, refetched at once for an unknown `kid`
 * (with a cool-down, so forged kids cannot hammer the endpoint), and kept when a refresh fails.
 */
export function createRemoteKeys(url: URL, options: RemoteKeysOptions = {}): RemoteKeys {
  const maxAgeMs = options.maxAgeMs ?? 600_000;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 2000;
  const now = options.now ?? Date.now;
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = -Infinity;
  let attemptedAt = -Infinity;
  let healthy = true;
  let inFlight: Promise<boolean> | undefined;
  let agent: UndiciAgent | undefined;

  async function fetchSet(): Promise<boolean> {
    attemptedAt = now();
    try {
      // undici, not the global `fetch`: the services load undici anyway, and Node's own copy behind
      // `fetch` would add ~2 MB to every service's heap for one request in ten minutes.
      // A redirect is not followed (its status is not 2xx).
      const response = await (agent ??= new Agent()).request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.statusCode < 200 || response.statusCode > 299) {
        await response.body.dump();
        throw new Error(`JWKS endpoint answered ${response.statusCode}`);
      }
      const body: unknown = await response.body.json();
      if (!isKeySet(body)) throw new Error('JWKS endpoint answered something that is not a key set');
      local = createLocalJWKSet(body);
      fetchedAt = now();
      if (!healthy) options.onStatus?.({ ok: true });
      healthy = true;
      return true;
    } catch (error) {
      if (healthy) options.onStatus?.({ ok: false, error: error instanceof Error ? error.message : String(error) });
      healthy = false;
      return false;
    }
  }

  // One fetch at a time: a burst of tokens with a new kid causes one request, not one each.
  const refresh = () => (inFlight ??= fetchSet().finally(() => (inFlight = undefined)));
  const cooled = (ms = cooldownMs) => now() - attemptedAt >= ms;

  const getKey = (async (header, token) => {
    if (!local) {
      // With no keys at all every token fails, so retry a failed first fetch sooner.
      if (cooled(Math.min(cooldownMs, 1000)) || inFlight) await refresh();
      if (!local) throw new joseErrors.JWKSNoMatchingKey();
    } else if (now() - fetchedAt >= maxAgeMs && cooled()) {
      void refresh();
    }
    try {
      return await local(header, token);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey) || !cooled()) throw error;
      // Key rotation: the provider may have published a key we have not seen yet.
      await refresh();
      return local(header, token);
    }
  }) as RemoteKeys;
  getKey.refresh = refresh;
  return getKey;
}
