import { createFakeUpstreams, REPO_ROOT } from '@edgeway/bff-kit/testing';
import { createCache } from '@edgeway/platform';
import { describe, expect, it } from 'vitest';
import type { BffContext } from '../context.js';
import { type CardShape, primeCard, WHOLE_CARD } from '../features/common/product.js';
import { createProductLoader } from './products.js';

const CALL = { headers: {} };
const NO_RATING: CardShape = { withStock: true, withRating: false };
const BARE: CardShape = { withStock: false, withRating: false };
// Product 1's reviews rate it 4, 2 and 5.
const RATING_OF_1 = (4 + 2 + 5) / 3;

let namespaces = 0;
function loaders(options: { cached?: boolean } = {}) {
  const { upstreams, calls } = createFakeUpstreams(REPO_ROOT, { cacheHint: { scope: 'PUBLIC', maxAge: 60 } });
  const cache = options.cached ? createCache({ namespace: `test-mobile-cards-${++namespaces}` }) : undefined;
  return { calls, loader: () => createProductLoader(upstreams.gateway, CALL, cache) };
}

describe('the product loader', () => {
  it('asks the gateway for no part the shape leaves out', async () => {
    const { calls, loader } = loaders();
    const card = await loader().load({ upc: '1', shape: BARE });

    expect(card).toMatchObject({ upc: '1', name: 'Product 1', inStock: null, averageRating: null });
    expect(calls.gateway.map((c) => c.variables)).toEqual([{ upcs: ['1'], withStock: false, withRating: false }]);
  });

  it('never serves a card primed without a part to a caller that selects it', async () => {
    const { calls, loader } = loaders();
    const products = loader();
    const fetched = await loader().load({ upc: '1', shape: NO_RATING });
    if (!fetched) throw new Error('product 1 is known');
    primeCard({ loaders: { products } } as unknown as BffContext, fetched, NO_RATING);
    const before = calls.gateway.length;

    // Shapes the card covers come from the loader...
    expect(await products.load({ upc: '1', shape: NO_RATING })).toBe(fetched);
    expect(await products.load({ upc: '1', shape: BARE })).toBe(fetched);
    expect(calls.gateway.length).toBe(before);
    // ...one asking for the rating it lacks is fetched whole.
    const whole = await products.load({ upc: '1', shape: WHOLE_CARD });
    expect(whole?.averageRating).toBeCloseTo(RATING_OF_1);
    expect(calls.gateway.slice(before).map((c) => c.variables)).toEqual([{ upcs: ['1'] }]);
  });

  it('never serves a card the shared cache kept without a part to a caller that selects it', async () => {
    const { calls, loader } = loaders({ cached: true });
    expect((await loader().load({ upc: '1', shape: NO_RATING }))?.averageRating).toBeNull();
    expect((await loader().load({ upc: '1', shape: WHOLE_CARD }))?.averageRating).toBeCloseTo(RATING_OF_1);
    // Each shape is kept apart: both are served from the cache now.
    expect((await loader().load({ upc: '1', shape: NO_RATING }))?.averageRating).toBeNull();
    expect((await loader().load({ upc: '1', shape: WHOLE_CARD }))?.averageRating).toBeCloseTo(RATING_OF_1);
    expect(calls.gateway.map((c) => c.variables)).toEqual([{ upcs: ['1'], withRating: false }, { upcs: ['1'] }]);
  });

  it('asks once per shape when one batch holds several', async () => {
    const { calls, loader } = loaders();
    const cards = await loader().loadMany([
      { upc: '1', shape: WHOLE_CARD },
      { upc: '2', shape: BARE },
      { upc: '3', shape: WHOLE_CARD },
    ]);

    expect(cards.map((card) => (card as { upc: string }).upc)).toEqual(['1', '2', '3']);
    expect(calls.gateway.map((c) => c.variables)).toEqual([
      { upcs: ['1', '3'] },
      { upcs: ['2'], withStock: false, withRating: false },
    ]);
  });
});
