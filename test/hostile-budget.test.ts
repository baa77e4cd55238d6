// The hostile corpus, budget classes: an operation's cost counts the request's variables, however
// they are spelled (aliases, defaults, null, GET, fragments). Every case gets 400
// OPERATION_LIMIT_EXCEEDED with no internal detail, and the service answers normally right after.
import { describe, expect, it } from 'vitest';
import { url } from './support/client.js';
import { EDGES, type Edge } from './support/hostile.js';

const INTERNAL_DETAIL =
  /https?:\/\/|127\.0\.0\.1|localhost|\[::1?\]|node_modules|\.ts:\d+|\.js:\d+|\n\s+at |stacktrace/i;

/** Each edge's list field with a `first` argument, and a selection under it that has lists of its own. */
const LIST: Record<Edge, { field: string; selection: string; type: string }> = {
  gateway: { field: 'topProducts', selection: 'upc reviews { body author { username } }', type: 'Product' },
  'bff-web': {
    field: 'catalog',
    selection: 'edges { node { upc name reviews { body author { name } } } }',
    type: 'ProductConnection',
  },
  'bff-mobile': { field: 'home', selection: 'topProducts { upc name price { amount } }', type: 'HomeScreen' },
};

const aliases = (edge: Edge, n: number, argument = '$n', selection = LIST[edge].selection) =>
  Array.from({ length: n }, (_, i) => `a${i}: ${LIST[edge].field}(first: ${argument}) { ${selection} }`).join(' ');

interface BudgetCase {
  name: string;
  query: (edge: Edge) => string;
  variables?: Record<string, unknown>;
  get?: boolean;
}

const CASES: BudgetCase[] = [
  {
    name: '15 aliases of a list with first: $n = 100',
    query: (e) => `query Q($n: Int) { ${aliases(e, 15)} }`,
    variables: { n: 100 },
  },
  {
    name: 'the variable left out, its declared default large',
    query: (e) => `query Q($n: Int = 100) { ${aliases(e, 15)} }`,
  },
  {
    name: 'the variable null (counts as the largest list)',
    query: (e) => `query Q($n: Int) { ${aliases(e, 15)} }`,
    variables: { n: null },
  },
  {
    name: 'one list with first: $n near 2^31',
    query: (e) => `query Q($n: Int) { ${aliases(e, 1)} }`,
    variables: { n: 2_147_483_647 },
  },
  {
    name: 'the variable inside a fragment',
    query: (e) =>
      `query Q($n: Int) { ${aliases(e, 15, '$n', '...F')} } fragment F on ${LIST[e].type} { ${LIST[e].selection} }`,
    variables: { n: 100 },
  },
  {
    name: 'the same, sent as GET',
    query: (e) => `query Q($n: Int) { ${aliases(e, 15)} }`,
    variables: { n: 100 },
    get: true,
  },
  {
    name: 'half literals, half variables',
    query: (e) => `query Q($n: Int) { ${aliases(e, 7)} ${aliases(e, 7, '100').replace(/\ba(\d+):/g, 'b$1:')} }`,
    variables: { n: 100 },
  },
];

async function send(edge: Edge, body: { query: string; variables?: Record<string, unknown> }, get = false) {
  const target = new URL(`${url(edge)}/graphql`);
  if (get) {
    target.searchParams.set('query', body.query);
    if (body.variables) target.searchParams.set('variables', JSON.stringify(body.variables));
  }
  const response = await fetch(target, {
    method: get ? 'GET' : 'POST',
    headers: get ? { 'apollo-require-preflight': 'true' } : { 'content-type': 'application/json' },
    ...(get ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text(), requestId: response.headers.get('x-request-id') };
}

describe('hostile input at the edge: cost budgets see variables', () => {
  const cases = CASES.flatMap((c) => EDGES.map((edge) => ({ ...c, edge })));

  it.each(cases)('$edge: $name -> 400 OPERATION_LIMIT_EXCEEDED', async ({ edge, query, variables, get }) => {
    const answer = await send(edge, { query: query(edge), ...(variables && { variables }) }, get);
    expect(answer.text).not.toMatch(INTERNAL_DETAIL);
    expect(answer.requestId).toMatch(/^[\w.:-]{1,128}$/);
    expect(answer.status, answer.text.slice(0, 300)).toBe(400);
    const body = JSON.parse(answer.text) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
    expect(body.errors?.[0]?.extensions?.code).toBe('OPERATION_LIMIT_EXCEEDED');
    expect(body.data).toBeUndefined();

    expect((await fetch(`${url(edge)}/readyz`)).status).toBe(200);
    const normal = await send(edge, { query: '{ __typename }' });
    expect(JSON.parse(normal.text)).toMatchObject({ data: { __typename: 'Query' } });
  });

  it.each(EDGES)('%s: answers the same operation with small variables, as with literals', async (edge) => {
    const answer = await send(edge, { query: `query Q($n: Int) { ${aliases(edge, 3)} }`, variables: { n: 2 } });
    expect(answer.status, answer.text.slice(0, 300)).toBe(200);
    const body = JSON.parse(answer.text) as { data?: Record<string, unknown>; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    expect(Object.keys(body.data ?? {})).toEqual(['a0', 'a1', 'a2']);
  });
});
