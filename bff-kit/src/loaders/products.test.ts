import { type TypedDocumentNode, UpstreamError } from '@edgeway/platform';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createFakeUpstreams } from '../testing/fakes.js';
import { REPO_ROOT } from '../testing/harness.js';
import { loadProductsByUpc } from './products.js';

interface Product {
  upc: string;
  name: string | null;
  inStock: boolean | null;
}

const PRODUCTS_BY_UPC = parse(/* GraphQL */ `
  query KitProductsByUpc($upcs: [String!]!) {
    productsByUpc(upcs: $upcs) {
      upc
      name
      inStock
    }
  }
`) as TypedDocumentNode<{ productsByUpc: Array<Product | null> }, { upcs: string[] }>;

function load(upcs: string[], options: Parameters<typeof createFakeUpstreams>[1] = {}) {
  const { upstreams, calls } = createFakeUpstreams(REPO_ROOT, options);
  const answers = loadProductsByUpc(
    upstreams.gateway,
    { headers: { 'x-request-id': 'r1' } },
    { upcs, document: PRODUCTS_BY_UPC, variables: { upcs } },
    (product, origin) => ({ ...product, origin }),
  );
  return { answers, calls };
}

describe('loadProductsByUpc', () => {
  it('answers every upc in order from one gateway request, null for an unknown upc', async () => {
    const { answers, calls } = load(['4', '999', '1']);

    const [four, unknown, one] = await answers;
    expect(four).toMatchObject({ upc: '4', name: 'Product 4', inStock: false, origin: { path: ['productsByUpc', 0] } });
    expect(unknown).toBeNull();
    expect(one).toMatchObject({ upc: '1', name: 'Product 1', origin: { path: ['productsByUpc', 2] } });
    expect(calls.gateway).toHaveLength(1);
    expect(calls.gateway[0]?.headers).toEqual({ 'x-request-id': 'r1' });
  });

  it('fails every upc with the error naming the subgraph when the gateway answers no data', async () => {
    const { answers } = load(['1', '2'], { subgraphsDown: ['products'] });

    const [one, two] = await answers;
    expect(one).toBeInstanceOf(UpstreamError);
    expect(one).toMatchObject({ dependency: 'products' });
    expect(two).toBe(one);
  });

  it('fails every upc with the gateway failure when the call fails', async () => {
    const { answers } = load(['1', '2'], { down: ['gateway'] });

    const [one, two] = await answers;
    expect(one).toBeInstanceOf(UpstreamError);
    expect(one).toMatchObject({ dependency: 'gateway', reason: 'TIMEOUT' });
    expect(two).toBe(one);
  });
});
