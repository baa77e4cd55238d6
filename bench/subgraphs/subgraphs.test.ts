import { describe, expect, it } from 'vitest';
import { expectedShallowTestQueryData, expectedTestQueryData } from './expected.js';
import { TEST_QUERY, TEST_QUERY_RESPONSE_BYTES, TEST_QUERY_SHALLOW } from './query.js';
import { SUBGRAPHS, type BenchSubgraph } from './schemas.js';
import { useBenchFederation } from './testing.js';

const bench = useBenchFederation();

const runThroughGateway = async (query: string) => {
  const response = await bench.gateway.executeOperation({ query });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult;
};

const requestDelta = (before: Record<BenchSubgraph, number>, after: Record<BenchSubgraph, number>) =>
  Object.fromEntries(SUBGRAPHS.map((name) => [name, after[name] - before[name]])) as Record<BenchSubgraph, number>;

const getStats = async (): Promise<Record<BenchSubgraph, number>> => {
  const response = await fetch(`${bench.subgraphs.baseUrl}/stats`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { requests: Record<BenchSubgraph, number> }).requests;
};

const postRaw = (name: BenchSubgraph, body: string) =>
  fetch(bench.subgraphs.url(name), { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('benchmark subgraphs through Apollo Gateway', () => {
  it('answers TestQuery with the expected data, at the benchmark size', async () => {
    const before = await getStats();
    const result = await runThroughGateway(TEST_QUERY);
    const perQuery = requestDelta(before, await getStats());

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual(expectedTestQueryData());
    // Same keys in the same order: same bytes.
    const size = JSON.stringify({ data: result.data }).length;
    expect(JSON.stringify({ data: result.data })).toBe(JSON.stringify({ data: expectedTestQueryData() }));
    console.log(
      `TestQuery answer: ${size} bytes (benchmark: ${TEST_QUERY_RESPONSE_BYTES}); subgraph requests:`,
      perQuery,
    );
    expect(Math.abs(size - TEST_QUERY_RESPONSE_BYTES) / TEST_QUERY_RESPONSE_BYTES).toBeLessThan(0.03);

    for (const name of SUBGRAPHS) expect(perQuery[name]).toBeGreaterThan(0);
    expect(bench.subgraphs.requests()).toEqual(await getStats());
  });

  it('answers it again the same way, from the memo, still counting requests', async () => {
    const before = await getStats();
    const result = await runThroughGateway(TEST_QUERY);
    const after = await getStats();
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual(expectedTestQueryData());
    for (const name of SUBGRAPHS) expect(after[name]).toBeGreaterThan(before[name]);
  });

  it('answers the shallow variant', async () => {
    const result = await runThroughGateway(TEST_QUERY_SHALLOW);
    expect(result.errors).toBeUndefined();
    expect(JSON.stringify({ data: result.data })).toBe(JSON.stringify({ data: expectedShallowTestQueryData() }));
    console.log(`shallow TestQuery answer: ${JSON.stringify({ data: result.data }).length} bytes`);
  });

  it('answers shippingEstimate null, as the benchmark does, though price and weight are required', async () => {
    const result = await runThroughGateway('{ topProducts(first: 9) { upc price weight inStock shippingEstimate } }');
    expect(result.errors).toBeUndefined();
    const products = (result.data as { topProducts: { shippingEstimate: unknown; inStock: unknown }[] }).topProducts;
    expect(products.map((product) => product.shippingEstimate)).toEqual(Array(9).fill(null));
    expect(products.map((product) => product.inStock)).toEqual([
      true,
      false,
      false,
      false,
      true,
      true,
      true,
      false,
      true,
    ]);
  });
});

describe('benchmark subgraphs server', () => {
  it('serves health and subgraph SDL', async () => {
    const health = await fetch(`${bench.subgraphs.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('OK');

    const response = await postRaw('reviews', JSON.stringify({ query: '{ _service { sdl } }' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as { data: { _service: { sdl: string } } };
    expect(body.data._service.sdl).toContain('@provides(fields: "username")');
  });

  it('answers bad JSON with 400 and a GraphQL error body, and keeps serving', async () => {
    const before = bench.subgraphs.requests().accounts;
    const bad = await postRaw('accounts', '{"query": ');
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { errors: { message: string }[] };
    expect(badBody.errors[0]?.message).toMatch(/JSON/);

    const noQuery = await postRaw('accounts', JSON.stringify({ variables: {} }));
    expect(noQuery.status).toBe(400);

    const good = await postRaw('accounts', JSON.stringify({ query: '{ me { id name } }' }));
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ data: { me: { id: '1', name: 'Uri Goldshtein' } } });
    expect(bench.subgraphs.requests().accounts).toBe(before + 3);
  });

  it('answers invalid queries with GraphQL errors', async () => {
    const response = await postRaw('products', JSON.stringify({ query: '{ nope }' }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: unknown; errors: { message: string }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]?.message).toMatch(/nope/);
  });

  it('answers other paths and methods with 404 and 405', async () => {
    expect((await fetch(`${bench.subgraphs.baseUrl}/nope`)).status).toBe(404);
    expect((await fetch(bench.subgraphs.url('products'))).status).toBe(405);
  });
});
