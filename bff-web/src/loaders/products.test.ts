import { createFakeUpstreams, REPO_ROOT } from '@edgeway/bff-kit/testing';
import { describe, expect, it } from 'vitest';
import type { BffContext } from '../context.js';
import { type ProductShape, rememberProducts, WHOLE_PRODUCT } from '../features/common/product.js';
import { createProductLoader } from './products.js';

const NO_RATING: ProductShape = { ...WHOLE_PRODUCT, withRating: false };
const BARE: ProductShape = { withWeight: false, withStock: false, withShipping: false, withRating: false };

describe('the product loader', () => {
  it('never serves a product a page brought without a part to a caller that selects it', async () => {
    const { upstreams, calls } = createFakeUpstreams(REPO_ROOT);
    const products = createProductLoader(upstreams.gateway, { headers: {} });
    const fetched = await createProductLoader(upstreams.gateway, { headers: {} }).load({
      upc: '1',
      reviews: false,
      shape: NO_RATING,
    });
    if (!fetched) throw new Error('product 1 is known');
    expect(fetched.averageRating).toBeNull();
    rememberProducts({ loaders: { products } } as unknown as BffContext, [fetched]);
    const before = calls.gateway.length;

    // Shapes the product covers come from the loader...
    expect(await products.load({ upc: '1', reviews: false, shape: NO_RATING })).toBe(fetched);
    expect(await products.load({ upc: '1', reviews: false, shape: BARE })).toBe(fetched);
    expect(calls.gateway.length).toBe(before);
    // ...one asking for the rating it lacks (the default: the whole product) is fetched.
    expect((await products.load({ upc: '1', reviews: false }))?.averageRating).toBeCloseTo((4 + 2 + 5) / 3);
    expect(calls.gateway.slice(before).map((c) => c.variables)).toEqual([
      { upcs: ['1'], withReviews: false, reviewsFirst: null },
    ]);
  });
});
