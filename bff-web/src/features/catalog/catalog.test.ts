import { harnessPerTest } from '@edgeway/bff-kit/testing';
import { MAX_PAGE_SIZE, PAGE_LIMIT_MESSAGES } from '@edgeway/platform';
import { describe, expect, it } from 'vitest';
import { bff } from '../../app.js';
import { encodeCursor } from './cursor.js';

const CATALOG = /* GraphQL */ `
  query Catalog($first: Int, $after: String) {
    catalog(first: $first, after: $after) {
      edges {
        cursor
        node {
          upc
          name
          price {
            amount
            source
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

interface Page {
  edges: Array<{ cursor: string; node: { upc: string; price: { source: string } } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const start = harnessPerTest(bff);

describe('catalog', () => {
  it.each([
    ['anonymous', undefined],
    ['signed in', '1'],
  ])('walks every page without duplicates or gaps for a caller who is %s', async (_who, as) => {
    const harness = await start();
    const seen: string[] = [];
    const pages: Page[] = [];
    let after: string | null = null;
    do {
      const { body } = await harness.graphql(CATALOG, { variables: { first: 5, after }, as });
      expect(body.errors).toBeUndefined();
      const page: Page = body.data.catalog;
      pages.push(page);
      seen.push(...page.edges.map((edge) => edge.node.upc));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after && pages.length < 10);

    expect(pages.map((page) => page.edges.length)).toEqual([5, 5, 2]);
    expect(seen).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
    expect(pages.at(-1)?.pageInfo).toEqual({ hasNextPage: false, endCursor: pages.at(-1)?.edges.at(-1)?.cursor });
    // One gateway request and one pricing call per page.
    expect(harness.calls.gateway.map((c) => c.variables)).toEqual([
      { first: 6, after: null, withReviews: false, reviewsFirst: null },
      { first: 6, after: '5', withReviews: false, reviewsFirst: null },
      { first: 6, after: '10', withReviews: false, reviewsFirst: null },
    ]);
    expect(harness.calls.pricing.map((c) => c.upcs.length)).toEqual([5, 5, 2]);
  });

  it('uses opaque cursors and defaults to 20 products', async () => {
    const harness = await start();
    const { body } = await harness.graphql(CATALOG);
    const page: Page = body.data.catalog;
    expect(page.edges).toHaveLength(12);
    expect(page.pageInfo.hasNextPage).toBe(false);
    for (const edge of page.edges) expect(edge.cursor).toMatch(/^[A-Za-z0-9_-]{12,}$/);
    expect(new Set(page.edges.map((edge) => edge.cursor)).size).toBe(12);
  });

  it('knows whether another page follows at the exact boundary', async () => {
    const harness = await start();
    const eleven = await harness.graphql(CATALOG, { variables: { first: 11 } });
    const twelve = await harness.graphql(CATALOG, { variables: { first: 12 } });
    expect(eleven.body.data.catalog.pageInfo.hasNextPage).toBe(true);
    expect(twelve.body.data.catalog.pageInfo.hasNextPage).toBe(false);
  });

  it('serves the largest page, 100, asking the gateway for no more than its own limit', async () => {
    const harness = await start();
    const { body } = await harness.graphql(CATALOG, { variables: { first: MAX_PAGE_SIZE } });
    expect(body.errors).toBeUndefined();
    expect(body.data.catalog.edges).toHaveLength(12);
    expect(body.data.catalog.pageInfo.hasNextPage).toBe(false);
    expect(harness.calls.gateway.map((c) => (c.variables as { first: number }).first)).toEqual([MAX_PAGE_SIZE]);
  });

  it('words a page size it refuses as the products subgraph does', async () => {
    const harness = await start();
    const { body } = await harness.graphql(CATALOG, { variables: { first: MAX_PAGE_SIZE + 1 } });
    expect(body.errors?.[0]?.message).toBe(PAGE_LIMIT_MESSAGES.pageSize());
    expect(body.errors?.[0]?.message).toBe('first must be between 0 and 100');
  });

  it('answers an empty page for first: 0', async () => {
    const harness = await start();
    const { body } = await harness.graphql(CATALOG, { variables: { first: 0 } });
    expect(body.data.catalog).toEqual({ edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
  });

  it('serves list prices where pricing has none, and the gateway fields', async () => {
    const harness = await start();
    const { body } = await harness.graphql(
      `{ catalog(first: 12) { edges { node { upc price { source } weight inStock shippingEstimate averageRating
          reviews(first: 1) { id } } } } }`,
    );
    const nodes = body.data.catalog.edges.map((edge: { node: unknown }) => edge.node);
    expect(nodes[0]).toEqual({
      upc: '1',
      price: { source: 'LIVE' },
      weight: 500,
      inStock: true,
      shippingEstimate: 50,
      averageRating: (4 + 2 + 5) / 3,
      reviews: [{ id: 'r4' }],
    });
    expect(nodes[11].price).toEqual({ source: 'LIST' });
    expect(body.extensions?.degraded).toBeUndefined();
    expect(harness.calls.gateway).toHaveLength(1);
  });

  it.each([
    ['a cursor it did not issue', { after: 'bm90LWEtY3Vyc29y' }],
    ['a cursor in another encoding', { after: Buffer.from('catalog:v1:3').toString('base64') + '=' }],
    ['first above 100', { first: 101 }],
    ['a negative first', { first: -1 }],
  ])('answers BAD_USER_INPUT for %s', async (_what, variables) => {
    const harness = await start();
    const { body } = await harness.graphql(CATALOG, { variables });
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(harness.calls.gateway).toHaveLength(0);
  });

  it('accepts the cursors it issues', async () => {
    const harness = await start();
    const { body } = await harness.graphql(CATALOG, { variables: { first: 2, after: encodeCursor('10') } });
    expect(body.data.catalog.edges.map((edge: { node: { upc: string } }) => edge.node.upc)).toEqual(['11', '12']);
  });

  it('falls back to list prices when pricing is down', async () => {
    const harness = await start({ down: ['pricing'] });
    const { body, headers } = await harness.graphql(CATALOG, { variables: { first: 2 } });
    expect(body.data.catalog.edges.map((edge: { node: { price: unknown } }) => edge.node.price)).toEqual([
      { amount: 1000, source: 'LIST' },
      { amount: 2000, source: 'LIST' },
    ]);
    // One outage across the page: one entry for the list, with how many prices it stood in for.
    expect(body.extensions?.degraded).toEqual([
      {
        path: ['catalog', 'edges', '*', 'node', 'price'],
        count: 2,
        dependency: 'pricing',
        reason: 'UPSTREAM_ERROR',
        fallback: 'LIST_PRICE',
      },
    ]);
    expect(headers['cache-control']).toBe('no-store');
  });
});
