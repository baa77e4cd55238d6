import { createCache, createDegradationCollector, UpstreamError, withFallback } from '@edgeway/platform';
import type { Recommendation, RecommendationsClient } from '@edgeway/recommendations/client';
import { describe, expect, it } from 'vitest';
import { createPicksLoader } from './recommendations.js';

function flakyClient() {
  const state = { down: false, calls: 0 };
  const client: RecommendationsClient = {
    async forUser(userId, limit) {
      state.calls++;
      if (state.down) throw new UpstreamError('recommendations', 'UPSTREAM_ERROR', 'answered 503', 503);
      return Array.from({ length: limit }, (_, i): Recommendation => ({ upc: `${userId}${i}`, score: 1 - i / 10 }));
    },
    relatedTo: async () => [],
  };
  return { client, state };
}

async function picks(loader: ReturnType<typeof createPicksLoader>) {
  const degradation = createDegradationCollector();
  const items = await withFallback(degradation, { path: ['home', 'recommended'], fallback: 'EMPTY' }, [], () =>
    loader.load({ id: '1', limit: 3 }),
  );
  return { items, degraded: degradation.entries() };
}

describe('recommendations loaders', () => {
  it('serve the last good answer, marked STALE, while the service fails', async () => {
    const lastGood = createCache({ namespace: 'test-stale' });
    const { client, state } = flakyClient();
    const fresh = await picks(createPicksLoader(client, { headers: {} }, lastGood));
    expect(fresh.degraded).toEqual([]);
    expect(fresh.items.map((p) => p.upc)).toEqual(['10', '11', '12']);

    state.down = true;
    const stale = await picks(createPicksLoader(client, { headers: {} }, lastGood));
    expect(stale.items).toEqual(fresh.items);
    expect(stale.degraded).toEqual([
      { path: ['home', 'recommended'], dependency: 'recommendations', reason: 'UPSTREAM_ERROR', fallback: 'STALE' },
    ]);
  });

  it('fall back to the declared value (EMPTY) when nothing good was ever seen', async () => {
    const { client, state } = flakyClient();
    state.down = true;
    const answer = await picks(createPicksLoader(client, { headers: {} }, createCache({ namespace: 'test-empty' })));
    expect(answer.items).toEqual([]);
    expect(answer.degraded[0]).toMatchObject({ fallback: 'EMPTY', reason: 'UPSTREAM_ERROR' });
  });

  it("never serves one user's picks to another", async () => {
    const lastGood = createCache({ namespace: 'test-users' });
    const { client, state } = flakyClient();
    await createPicksLoader(client, { headers: {} }, lastGood).load({ id: '1', limit: 3 });
    state.down = true;
    const other = createPicksLoader(client, { headers: {} }, lastGood);
    await expect(other.load({ id: '2', limit: 3 })).rejects.toMatchObject({ stale: undefined });
  });
});
