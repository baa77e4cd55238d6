// Edgeway's plan executor, in parts: its merge against Apollo's own on the same inputs, and which
// plans and requests it hands back to Apollo's executor. Whole answers against vanilla Apollo
// Gateway: gateway/test/differential.test.ts.
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import {
  createExecuteQueryPlan,
  deepMerge,
  type ExecuteQueryPlan,
  type ExecutorInternals,
  errorsAtEveryPlace,
} from './executor.js';

const require = createRequire(import.meta.url);
const apollos = (require('@apollo/gateway/dist/utilities/deepMerge.js') as { deepMerge: typeof deepMerge }).deepMerge;

describe("the executor's merge", () => {
  const cases: Array<[string, () => [Record<string, unknown>, unknown]]> = [
    ['nested objects', () => [{ a: { b: 1, c: { d: 2 } } }, { a: { c: { e: 3 }, f: 4 }, g: 5 }]],
    [
      'lists of the same length, element by element',
      () => [{ l: [{ a: 1 }, 2, null] }, { l: [{ b: 2 }, { c: 3 }, 4] }],
    ],
    ['lists of other lengths, replaced', () => [{ l: [{ a: 1 }] }, { l: [{ b: 2 }, { c: 3 }] }]],
    [
      'undefined skipped, null written',
      () => [
        { a: 1, b: 2 },
        { a: undefined, b: null },
      ],
    ],
    [
      'a falsy value replaced by an object',
      () => [
        { a: 0, b: '' },
        { a: { x: 1 }, b: { y: 2 } },
      ],
    ],
    ['names Object.prototype has, made own', () => [{}, { constructor: { a: 1 }, toString: 'x', valueOf: [1] }]],
    ['nothing to merge', () => [{ a: 1 }, null]],
    ['a string source', () => [{ a: 1 }, 'ab']],
  ];
  for (const [name, input] of cases) {
    it(`merges as Apollo's does: ${name}`, () => {
      const [ours, source] = input();
      const [theirs, sourceAgain] = input();
      expect(deepMerge(ours, source)).toBe(ours);
      apollos(theirs, sourceAgain);
      expect(Object.getOwnPropertyDescriptors(ours)).toEqual(Object.getOwnPropertyDescriptors(theirs));
      expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
      expect(Object.keys(ours)).toEqual(Object.keys(theirs));
    });
  }

  it("fails where Apollo's fails: merging into a string", () => {
    const input = () => [{ a: 'text' }, { a: { b: 1 } }] as const;
    const [a, b] = input();
    const [c, d] = input();
    const ours = ((): unknown => {
      try {
        return deepMerge(a, b);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    const theirs = ((): unknown => {
      try {
        return apollos(c, d);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(typeof ours).toBe('string');
    expect(ours).toBe(theirs);
  });
});

/** Apollo's tracer, each span running its callback, and the federation functions every plan needs. */
const span = { end: vi.fn(), setStatus: vi.fn() };
const telemetry = {
  tracer: {
    startActiveSpan: (_name: string, ...rest: unknown[]) => (rest.at(-1) as (s: unknown) => unknown)(span),
  },
  OpenTelemetrySpanNames: {
    EXECUTE: 'gateway.execute',
    FETCH: 'gateway.fetch',
    POST_PROCESSING: 'gateway.postprocessing',
  },
  recordExceptions: vi.fn(),
};
const federation = {
  operationFromDocument: () => ({ variableDefinitions: { definition: () => undefined } }),
  assert: vi.fn(),
};

describe("what the executor hands to Apollo's", () => {
  const internals = {
    telemetry,
    federation,
    shaping: { computeResponse: () => ({ data: { a: 1 }, errors: [] }) },
  } as unknown as ExecutorInternals;
  const context = (captureTraces = false) => ({ metrics: { captureTraces }, request: { variables: {} } });
  const operationContext = { operation: {}, fragments: {} };
  const run = (execute: ExecuteQueryPlan, plan: object, captureTraces = false) =>
    execute(plan, {}, context(captureTraces), operationContext, {}, {}, undefined);

  it('runs plans of fetches, sequences, conditions and flattening itself', async () => {
    const apollo = vi.fn<ExecuteQueryPlan>(async () => ({ data: 'apollo' }));
    const execute = createExecuteQueryPlan(internals, apollo);
    expect(await run(execute, {})).toEqual({ data: { a: 1 } });
    expect(await run(execute, { node: { kind: 'Sequence', nodes: [] } })).toEqual({ data: { a: 1 } });
    expect(apollo).not.toHaveBeenCalled();
  });

  it('hands over a request that captures usage-reporting traces, and plans with @defer or a subscription', async () => {
    const apollo = vi.fn<ExecuteQueryPlan>(async () => ({ data: 'apollo' }));
    const execute = createExecuteQueryPlan(internals, apollo);
    expect(await run(execute, { node: { kind: 'Sequence', nodes: [] } }, true)).toEqual({ data: 'apollo' });
    const deferred = { node: { kind: 'Sequence', nodes: [{ kind: 'Flatten', path: [], node: { kind: 'Defer' } }] } };
    expect(await run(execute, deferred)).toEqual({ data: 'apollo' });
    expect(await run(execute, { node: { kind: 'Subscription' } })).toEqual({ data: 'apollo' });
    expect(apollo).toHaveBeenCalledTimes(3);
  });
});

describe('representations sent once', () => {
  const hasId = (value: unknown): value is { id: unknown } =>
    typeof value === 'object' && value !== null && 'id' in value;
  const shaped: unknown[] = [];
  const internals = {
    telemetry,
    rewrites: {
      applyRewrites: () => undefined,
      isObjectOfType: (_schema: unknown, object: { __typename?: string }, type: string) => object.__typename === type,
    },
    federation: {
      ...federation,
      errorCodeDef: () => undefined,
      ERRORS: { DOWNSTREAM_SERVICE_ERROR: { err: (message: string, options: object) => ({ message, ...options }) } },
    },
    generateHydratedPaths: (_parent: unknown, _path: unknown, data: { list: unknown[] }, result: unknown[][]) => {
      data.list.forEach((_, i) => result.push(['list', i]));
    },
    shaping: {
      computeResponse: ({ input }: { input: unknown }) => {
        shaped.push(JSON.parse(JSON.stringify(input)));
        return { data: {}, errors: [] };
      },
    },
  } as unknown as ExecutorInternals;

  const field = (name: string, selections?: object[]) => ({ kind: 'Field', name, selections });
  const onT = (...selections: object[]) => [{ kind: 'InlineFragment', typeCondition: 'T', selections }];

  /** Runs `{ list }` from service a, then `list.@`'s entities from b; what b was sent, and the answer. */
  async function entitiesOf(
    list: unknown[],
    requires: object[],
    answer = (representation: { id?: unknown }) => ({ name: `n${JSON.stringify(representation.id)}` }),
  ) {
    const sent: unknown[][] = [];
    const services = {
      a: { process: async () => ({ data: { list } }) },
      b: {
        process: async ({ request }: { request: { variables: { representations: Array<{ id: unknown }> } } }) => {
          const { representations } = request.variables;
          sent.push(representations);
          return {
            data: { _entities: representations.map(answer) },
            errors: [{ message: 'late', path: ['_entities', 0, 'name'] }],
          };
        },
      },
    };
    const plan = {
      node: {
        kind: 'Sequence',
        nodes: [
          { kind: 'Fetch', serviceName: 'a', operation: '{ list }' },
          {
            kind: 'Flatten',
            path: ['list', '@'],
            node: { kind: 'Fetch', serviceName: 'b', operation: 'entities', requires },
          },
        ],
      },
    };
    const execute = createExecuteQueryPlan(internals, vi.fn());
    const requestContext = { metrics: {}, request: { variables: {} } };
    const result = await execute(
      plan as never,
      services,
      requestContext,
      { operation: {}, fragments: {} },
      {},
      {},
      undefined,
    );
    return { sent, shaped: shaped.at(-1) as { list: unknown[] }, errors: result.errors ?? [] };
  }

  it('sends each distinct representation once (1 and "1" apart) and merges its answer at every place', async () => {
    const list = [
      { __typename: 'T', id: 1 },
      { __typename: 'T', id: '1' },
      { __typename: 'T', id: 1 },
      { __typename: 'U', id: 1 },
      null,
      { __typename: 'T', id: 2 },
      { __typename: 'T' },
    ];
    const { sent, shaped, errors } = await entitiesOf(list, onT(field('__typename'), field('id')));
    expect(sent).toEqual([
      [
        { __typename: 'T', id: 1 },
        { __typename: 'T', id: '1' },
        { __typename: 'T', id: 2 },
      ],
    ]);
    expect(shaped).toEqual({
      list: [
        { __typename: 'T', id: 1, name: 'n1' },
        { __typename: 'T', id: '1', name: 'n"1"' },
        { __typename: 'T', id: 1, name: 'n1' },
        { __typename: 'U', id: 1 },
        null,
        { __typename: 'T', id: 2, name: 'n2' },
        { __typename: 'T' },
      ],
    });
    // The error for the first representation, at both places of its entity.
    expect(errors.map((error) => error.path)).toEqual([
      ['list', 0, 'name'],
      ['list', 2, 'name'],
    ]);
  });

  it('tells composite representations apart by every value they hold: nested objects, lists, JSON scalars, nulls', async () => {
    const t = (id: unknown, org: unknown, tags: unknown, items: unknown, extra: object = {}) => ({
      __typename: 'T',
      id,
      org,
      tags,
      items,
      ...extra,
    });
    const list = [
      t(1, { id: 'o' }, ['a', 'b'], [{ sku: 1 }, null]),
      t(1, { id: 'o', ignored: true }, ['a', 'b'], [{ sku: 1 }, null]), // the same representation
      t(1, { id: 'p' }, ['a', 'b'], [{ sku: 1 }, null]),
      t(1, { id: 'o' }, ['ab'], [{ sku: 1 }, null]),
      t(1, { id: 'o' }, ['a', 'b'], [{ sku: '1' }, null]),
      t(1, { id: 'o' }, ['a', 'b'], [null, { sku: 1 }]),
      t(1, null, ['a', 'b'], [{ sku: 1 }, null]),
      t(1, { id: 'o' }, { a: 'b' }, []),
      t(1, { id: 'o' }, '{"a":"b"}', []),
      t(1, { id: 'o' }, ['a', 'b'], [{ sku: 1 }, null], { ignored: 2 }), // the first again
      t(1, {}, ['a', 'b'], [{ sku: 1 }, null]), // org's id missing: org is null in it
    ];
    const requires = onT(
      field('__typename'),
      field('id'),
      field('org', [field('id')]),
      field('tags'),
      field('items', [field('sku')]),
    );
    const { sent, shaped } = await entitiesOf(list, requires, (r) => ({ name: JSON.stringify(r) }));
    const representation = (entity: ReturnType<typeof t>) => ({
      __typename: 'T',
      id: entity.id,
      org: hasId(entity.org) ? { id: entity.org.id } : null,
      tags: entity.tags,
      items: (entity.items as Array<{ sku: unknown } | null>).map((item) => (item ? { sku: item.sku } : null)),
    });
    const expected = list.map(representation);
    // Each representation once: the second and the tenth are the first's. The last holds what the
    // seventh does (org null), reached another way (a field missing), and may go apart.
    expect(sent).toEqual([[0, 2, 3, 4, 5, 6, 7, 8, 10].map((i) => expected[i])]);
    // Every place got the answer to its own representation.
    expect(shaped.list.map((entity) => (entity as { name?: string }).name)).toEqual(
      expected.map((r) => JSON.stringify(r)),
    );
  });

  it('repeats an entity error at every place, in the order of the places, other errors first', () => {
    const errors = [
      { message: 'b', path: ['_entities', 1, 'x', 0] },
      { message: 'general' },
      { message: 'a', path: ['_entities', 0] },
      { message: 'out of range', path: ['_entities', 7] },
    ];
    expect(
      errorsAtEveryPlace(errors, [
        [0, 3],
        [1, 2],
      ]),
    ).toEqual([
      { message: 'general' },
      { message: 'out of range', path: ['_entities', 7] },
      { message: 'a', path: ['_entities', 0] },
      { message: 'b', path: ['_entities', 1, 'x', 0] },
      { message: 'b', path: ['_entities', 2, 'x', 0] },
      { message: 'a', path: ['_entities', 3] },
    ]);
  });
});
