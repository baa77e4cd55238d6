// The guard around Edgeway's patches of Apollo internals: installed only on the versions and
// shapes they were written for, Apollo's own functions otherwise, and always saying which.
// Other versions are simulated by expecting other ones, never by touching node_modules.
import { createRequire } from 'node:module';
import { createLogger, metrics, servedApolloServer } from '@edgeway/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { startPair, startTier } from '../test/differential.js';
import { EXECUTOR, locate, PATCHES } from './apolloPatchTable.js';
import { installApolloPatches, PATCHED_VERSIONS, patchUses, uninstallApolloPatches } from './apolloPatches.js';

const require = createRequire(import.meta.url);
type Module = Record<string, (...args: never[]) => unknown>;
const shaping = require('@apollo/gateway/dist/resultShaping.js') as Module;
const operations = require('@apollo/federation-internals/dist/operations.js') as Module;
const plans = require('@apollo/gateway/dist/executeQueryPlan.js') as Module;
const contexts = locate().load('@apollo/server', 'dist/cjs/utils/makeGatewayGraphQLRequestContext.js') as Module;
const apollos = {
  computeResponse: shaping.computeResponse!,
  operationFromDocument: operations.operationFromDocument!,
  executeQueryPlan: plans.executeQueryPlan!,
  makeGatewayGraphQLRequestContext: contexts.makeGatewayGraphQLRequestContext!,
};
const isApollos = () =>
  shaping.computeResponse === apollos.computeResponse &&
  operations.operationFromDocument === apollos.operationFromDocument &&
  plans.executeQueryPlan === apollos.executeQueryPlan &&
  contexts.makeGatewayGraphQLRequestContext === apollos.makeGatewayGraphQLRequestContext;
const NONE = { 'cached-operations': 0, 'compiled-shaping': 0, 'plan-executor': 0, 'gateway-request-context': 0 };

/** A logger whose lines the test reads. */
function recorded() {
  const lines: Array<{ level: string; msg: string; [key: string]: unknown }> = [];
  const logger = createLogger({
    service: 'gateway-patches-test',
    level: 'info',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

async function gauge() {
  const { values } = await metrics.patchActive.get();
  return Object.fromEntries(values.map((v) => [v.labels.patch, v.value]));
}

afterEach(() => uninstallApolloPatches());

describe('Apollo patches', () => {
  it('on other versions, patch nothing, say so once per patch, and still answer as vanilla Apollo does', async () => {
    expect(isApollos()).toBe(true);
    const { logger, lines } = recorded();
    const expected = { ...PATCHED_VERSIONS, '@apollo/gateway': '2.14.3' };
    const report = installApolloPatches({ logger, expectedVersions: expected });
    expect(report.map((s) => [s.patch, s.active, s.reason])).toEqual([
      ['cached-operations', false, 'written for @apollo/gateway 2.14.3, found 2.14.4'],
      ['compiled-shaping', false, 'written for @apollo/gateway 2.14.3, found 2.14.4'],
      ['plan-executor', false, 'written for @apollo/gateway 2.14.3, found 2.14.4'],
      ['gateway-request-context', false, 'written for @apollo/gateway 2.14.3, found 2.14.4'],
    ]);
    expect(isApollos()).toBe(true);
    const errors = lines.filter((line) => line.level === 'error');
    expect(errors.map((line) => line.patch)).toEqual([
      'cached-operations',
      'compiled-shaping',
      'plan-executor',
      'gateway-request-context',
    ]);
    for (const line of errors) {
      expect(line.msg).toMatch(
        /^Apollo patch [a-z-]+ \([a-zA-Z]+\) not installed: written for @apollo\/gateway 2\.14\.3, found 2\.14\.4; Apollo's own function serves instead/,
      );
      expect(line.msg).toContain('GATEWAY_APOLLO_PATCHES=off');
      expect(line).toMatchObject({ expected, found: PATCHED_VERSIONS });
    }
    expect(lines.filter((line) => line.level === 'info').map((line) => line.msg)).toEqual([
      'Apollo patches active: none',
    ]);
    expect(await gauge()).toEqual(NONE);

    // A gateway built now keeps Apollo's own functions (the first install decided) and answers right.
    const silent = createLogger({ service: 'gateway-patches-test', level: 'silent' });
    const tier = await startTier(silent);
    const pair = await startPair(tier, silent).catch(async (error: unknown) => {
      await tier.close();
      throw error;
    });
    try {
      const uses = patchUses();
      const query = `query ($n: Int, $r: Boolean!) { topProducts(first: $n) { upc name reviews @include(if: $r) { rating } }
        found(upcs: ["1"], userIds: ["2"]) { __typename ... on User { username } ... on Product { price } } }`;
      for (const variables of [
        { n: 2, r: true },
        { n: 3, r: false },
      ]) {
        const edgeway = await pair.edgeway(query, variables);
        expect(edgeway).toEqual(await pair.vanilla(query, variables));
        expect((edgeway.data?.topProducts as unknown[]).length).toBe(variables.n);
      }
      expect(patchUses()).toEqual(uses);
      expect(isApollos()).toBe(true);
    } finally {
      await pair.close();
      await tier.close();
    }
  }, 120_000);

  it('leave out a patch whose function no longer has the shape it was written for', () => {
    const refactored = (args: unknown, extra: unknown) => apollos.computeResponse(args as never, extra as never);
    shaping.computeResponse = refactored;
    try {
      const { logger, lines } = recorded();
      const report = installApolloPatches({ logger });
      expect(report).toEqual([
        { patch: 'cached-operations', active: true },
        {
          patch: 'compiled-shaping',
          active: false,
          reason: '@apollo/gateway/dist/resultShaping.js has no computeResponse of 1 parameter(s)',
        },
        { patch: 'plan-executor', active: true },
        { patch: 'gateway-request-context', active: true },
      ]);
      expect(shaping.computeResponse).toBe(refactored);
      expect(operations.operationFromDocument).not.toBe(apollos.operationFromDocument);
      expect(lines.map((line) => [line.level, line.patch ?? line.msg])).toEqual([
        ['error', 'compiled-shaping'],
        ['info', 'Apollo patches active: cached-operations, plan-executor, gateway-request-context'],
      ]);
    } finally {
      uninstallApolloPatches();
      shaping.computeResponse = apollos.computeResponse;
    }
  });

  it('find where Apollo calls each replaced function, and notice when it no longer does', () => {
    const apollo = locate();
    const executor = apollo.source('@apollo/gateway', EXECUTOR);
    const index = apollo.source('@apollo/gateway', 'dist/index.js');
    const pipeline = apollo.source('@apollo/server', 'dist/cjs/requestPipeline.js');
    // federation-internals as @apollo/gateway loads it, not merely as this file would.
    expect(apollo.load('@apollo/federation-internals')).toBe(
      createRequire(require.resolve('@apollo/gateway'))('@apollo/federation-internals'),
    );
    const changed: Record<string, string[]> = {
      'cached-operations': [
        executor.replace('validate: false', 'validate: true'),
        executor.replace('(0, federation_internals_1.operationFromDocument)(apiSchema', 'buildOperation(apiSchema'),
      ],
      'compiled-shaping': [executor.replace('(0, resultShaping_1.computeResponse)', 'computeResponse')],
      'plan-executor': [
        index.replace('(0, executeQueryPlan_1.executeQueryPlan)', 'executeQueryPlan'),
        index.replace('this.apiSchema, this.config.telemetry)', 'this.apiSchema, this.config.telemetry, extra)'),
      ],
      'gateway-request-context': [
        pipeline.replace(
          '(0, makeGatewayGraphQLRequestContext_js_1.makeGatewayGraphQLRequestContext)',
          'makeGatewayGraphQLRequestContext',
        ),
      ],
    };
    expect(PATCHES.map((patch) => [patch.name, patch.caller ?? ['@apollo/gateway', EXECUTOR]])).toEqual([
      ['cached-operations', ['@apollo/gateway', EXECUTOR]],
      ['compiled-shaping', ['@apollo/gateway', EXECUTOR]],
      ['plan-executor', ['@apollo/gateway', 'dist/index.js']],
      ['gateway-request-context', ['@apollo/server', 'dist/cjs/requestPipeline.js']],
    ]);
    // @apollo/server as the platform loads it: the build whose ApolloServer the services run.
    expect((apollo.load('@apollo/server') as { ApolloServer: unknown }).ApolloServer).toBe(servedApolloServer);
    const callers: Record<string, string> = { 'dist/index.js': index, 'dist/cjs/requestPipeline.js': pipeline };
    for (const patch of PATCHES) {
      const caller = patch.caller ? callers[patch.caller[1]]! : executor;
      expect(patch.callSite.test(caller), patch.name).toBe(true);
      for (const source of changed[patch.name] ?? []) {
        expect(source).not.toBe(caller);
        expect(patch.callSite.test(source), patch.name).toBe(false);
      }
    }
  });

  it('refuse to start on a mismatch when required, leaving nothing patched', () => {
    const { logger, lines } = recorded();
    expect(() =>
      installApolloPatches({
        logger,
        mode: 'required',
        expectedVersions: { ...PATCHED_VERSIONS, '@apollo/federation-internals': '2.15.0' },
      }),
    ).toThrow(
      'Invalid configuration:\n' +
        '  - GATEWAY_APOLLO_PATCHES=required, but Apollo patch cached-operations: written for @apollo/federation-internals 2.15.0, found 2.14.4\n' +
        '  - GATEWAY_APOLLO_PATCHES=required, but Apollo patch compiled-shaping: written for @apollo/federation-internals 2.15.0, found 2.14.4\n' +
        '  - GATEWAY_APOLLO_PATCHES=required, but Apollo patch plan-executor: written for @apollo/federation-internals 2.15.0, found 2.14.4\n' +
        '  - GATEWAY_APOLLO_PATCHES=required, but Apollo patch gateway-request-context: written for @apollo/federation-internals 2.15.0, found 2.14.4',
    );
    expect(isApollos()).toBe(true);
    expect(lines.map((line) => [line.level, line.patch])).toEqual([
      ['error', 'cached-operations'],
      ['error', 'compiled-shaping'],
      ['error', 'plan-executor'],
      ['error', 'gateway-request-context'],
    ]);
    expect(lines[0]?.msg).toContain('GATEWAY_APOLLO_PATCHES=required: the gateway does not start');
    // Nothing was decided: a later install still may.
    expect(installApolloPatches({ logger, mode: 'required' }).every((s) => s.active)).toBe(true);
  });

  it('patch nothing when turned off, without an error', async () => {
    const { logger, lines } = recorded();
    const report = installApolloPatches({ logger, mode: 'off' });
    expect(report.every((s) => !s.active && s.reason === 'turned off (GATEWAY_APOLLO_PATCHES=off)')).toBe(true);
    expect(isApollos()).toBe(true);
    expect(lines.map((line) => [line.level, line.msg])).toEqual([['info', 'Apollo patches active: none']]);
    expect(await gauge()).toEqual(NONE);
  });

  it('install once on the versions they were written for, and count their use on /metrics', async () => {
    const { logger, lines } = recorded();
    const report = installApolloPatches({ logger });
    expect(report.every((s) => s.active)).toBe(true);
    const installed = { ...shaping };
    expect(installApolloPatches({ logger, mode: 'off' })).toBe(report);
    expect(shaping.computeResponse).toBe(installed.computeResponse);
    expect(lines.map((line) => line.msg)).toEqual([
      'Apollo patches active: cached-operations, compiled-shaping, plan-executor, gateway-request-context',
    ]);
    expect(await gauge()).toEqual({
      'cached-operations': 1,
      'compiled-shaping': 1,
      'plan-executor': 1,
      'gateway-request-context': 1,
    });
    const shaped = patchUses()['compiled-shaping'];
    const { buildSchema, operationFromDocument } = require('@apollo/federation-internals') as {
      buildSchema(sdl: string): object;
      operationFromDocument(schema: object, document: unknown): unknown;
    };
    const schema = buildSchema('type Query { a: Int }');
    const operation = operationFromDocument(schema, (await import('graphql')).parse('{ a }'));
    expect(
      shaping.computeResponse!({ operation, input: { a: 1 }, introspectionHandling: () => null } as never),
    ).toEqual({
      data: { a: 1 },
      errors: [],
    });
    expect(patchUses()['compiled-shaping']).toBe(shaped + 1);
    const exposition = await metrics.registry.metrics();
    expect(exposition).toMatch(
      new RegExp(`^edgeway_gateway_patch_used_total\\{[^}]*patch="compiled-shaping"[^}]*\\} ${shaped + 1}$`, 'm'),
    );
    expect(exposition).toMatch(/^edgeway_gateway_patch_active\{[^}]*patch="cached-operations"[^}]*\} 1$/m);
  });
});
