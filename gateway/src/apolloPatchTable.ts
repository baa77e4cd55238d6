import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { servedApolloServer } from '@edgeway/platform';
import { createExecuteQueryPlan, type ExecuteQueryPlan, type ExecutorInternals } from './executor.js';
import { gatewayRequestContext } from './gatewayRequestContext.js';
import { cachedOperationFromDocument, type OperationFromDocument } from './hotPath.js';
import { type ComputeResponse, createComputeResponse, type ShapingInternals } from './shaping.js';

// Every patch of Apollo internals the gateway makes: which function each replaces, where the
// executor calls it, and what it is replaced with. apolloPatches.ts installs them, guarded.

/**
 * The exact versions the patches were written for and compared with Apollo's own functions end to
 * end (gateway/test/differential.test.ts). On any other version Apollo's own functions serve.
 */
export const PATCHED_VERSIONS = {
  '@apollo/gateway': '2.14.4',
  '@apollo/federation-internals': '2.14.4',
  '@apollo/server': '5.5.1',
} as const;
export type Package = keyof typeof PATCHED_VERSIONS;
export const PACKAGES = Object.keys(PATCHED_VERSIONS) as Package[];

export type PatchName = 'cached-operations' | 'compiled-shaping' | 'plan-executor' | 'gateway-request-context';

type Fn = (...args: never[]) => unknown;
export type Apollo = ReturnType<typeof locate>;
export interface Patch {
  name: PatchName;
  /** The module object whose export is replaced, and the arity of the function it holds. */
  owner: [Package, string];
  exportName: string;
  arity: number;
  /** The call, as it must read for the replacement to be reached. */
  callSite: RegExp;
  /** The package and file that make the call. @default ['@apollo/gateway', EXECUTOR] */
  caller?: [Package, string];
  /** The replacement, or what the installed code lacks. */
  build(original: Fn, apollo: Apollo): Fn | string;
}

// Plain integers bumped on the hot path, shared by every copy of this module in the process (a
// test runner may load it twice).
const USES = Symbol.for('edgeway.apolloPatchUses');
const global = globalThis as {
  [USES]?: { operations: { hits: number }; shaped: number; executed: number; contexts: number };
};
const uses = (global[USES] ??= { operations: { hits: 0 }, shaped: 0, executed: 0, contexts: 0 });
uses.executed ??= 0;
uses.contexts ??= 0;

/**
 * Calls each patch served itself: operations reused from the cache; answers shaped by the compiled
 * form; query plans run by Edgeway's executor; requests handed to the executor by Apollo Server.
 */
export function patchUses(): Record<PatchName, number> {
  return {
    'cached-operations': uses.operations.hits,
    'compiled-shaping': uses.shaped,
    'plan-executor': uses.executed,
    'gateway-request-context': uses.contexts,
  };
}

export const EXECUTOR = 'dist/executeQueryPlan.js';
// What shaping.ts calls in federation-internals (ShapingInternals), besides ERRORS and typenameFieldName.
const SHAPING_FUNCTIONS = [
  'Variable',
  'assert',
  'isObjectType',
  'isNonNullType',
  'isListType',
  'isCompositeType',
  'isSubtype',
  'isValidLeafValue',
];

export const PATCHES: readonly Patch[] = [
  {
    name: 'cached-operations',
    owner: ['@apollo/federation-internals', 'dist/operations.js'],
    exportName: 'operationFromDocument',
    arity: 3,
    callSite:
      /federation_internals_1 = require\("@apollo\/federation-internals"\);[^]*\(0, federation_internals_1\.operationFromDocument\)\(apiSchema, \{[^]*?\}, \{\s*validate: false,\s*\}\)/,
    build(original, apollo) {
      const cached = cachedOperationFromDocument(original as OperationFromDocument, uses.operations);
      // The executor reads it through the package's index, which re-exports it live (a getter).
      const index = apollo.load('@apollo/federation-internals') as Record<string, unknown>;
      const descriptor = Object.getOwnPropertyDescriptor(index, 'operationFromDocument');
      return descriptor?.get ? cached : "the package's index no longer re-exports operationFromDocument live";
    },
  },
  {
    name: 'compiled-shaping',
    owner: ['@apollo/gateway', 'dist/resultShaping.js'],
    exportName: 'computeResponse',
    arity: 1,
    callSite: /resultShaping_1 = require\("\.\/resultShaping"\);[^]*\(0, resultShaping_1\.computeResponse\)\(\{/,
    build(original, apollo) {
      const internals = apollo.load('@apollo/federation-internals') as ShapingInternals & Record<string, unknown>;
      const lacks = SHAPING_FUNCTIONS.filter((name) => typeof internals[name] !== 'function');
      if (typeof internals.ERRORS?.INVALID_GRAPHQL?.err !== 'function') lacks.push('ERRORS.INVALID_GRAPHQL');
      if (internals.typenameFieldName !== '__typename') lacks.push('typenameFieldName');
      if (lacks.length > 0) return `@apollo/federation-internals lacks ${lacks.join(', ')}`;
      const apollos = original as ComputeResponse;
      // What the compiled form hands back to Apollo's own (operations it cannot compile) is not its use.
      const compiled = createComputeResponse(internals, (args) => {
        uses.shaped--;
        return apollos(args);
      });
      const counted: ComputeResponse = (args) => {
        uses.shaped++;
        return compiled(args);
      };
      return counted;
    },
  },
  {
    name: 'plan-executor',
    owner: ['@apollo/gateway', EXECUTOR],
    exportName: 'executeQueryPlan',
    arity: 7,
    caller: ['@apollo/gateway', 'dist/index.js'],
    callSite:
      /executeQueryPlan_1 = require\("\.\/executeQueryPlan"\);[^]*\(0, executeQueryPlan_1\.executeQueryPlan\)\(queryPlan, serviceMap, requestContext, operationContext, this\.supergraphSchema, this\.apiSchema, this\.config\.telemetry\)/,
    build(original, apollo) {
      const load = (file: string) => apollo.load('@apollo/gateway', file) as Record<string, unknown>;
      const telemetry = load('dist/utilities/opentelemetry.js');
      const rewrites = load('dist/dataRewrites.js');
      const shaping = load('dist/resultShaping.js');
      const executor = load(EXECUTOR);
      const kinds = load('dist/datasources/types.js').GraphQLDataSourceRequestKind as
        Record<string, unknown> | undefined;
      const federation = apollo.load('@apollo/federation-internals') as Record<string, unknown>;
      const names = telemetry.OpenTelemetrySpanNames as Record<string, unknown> | undefined;
      const errors = federation.ERRORS as Record<string, { err?: unknown }> | undefined;
      const functions: Array<[string, unknown]> = [
        ['tracer.startActiveSpan', (telemetry.tracer as Record<string, unknown> | undefined)?.startActiveSpan],
        ['recordExceptions', telemetry.recordExceptions],
        ['applyRewrites', rewrites.applyRewrites],
        ['isObjectOfType', rewrites.isObjectOfType],
        ['computeResponse', shaping.computeResponse],
        ['generateHydratedPaths', executor.generateHydratedPaths],
        ['operationFromDocument', federation.operationFromDocument],
        ['assert', federation.assert],
        ['errorCodeDef', federation.errorCodeDef],
        ['ERRORS.DOWNSTREAM_SERVICE_ERROR.err', errors?.DOWNSTREAM_SERVICE_ERROR?.err],
      ];
      const lacks = functions.filter(([, value]) => typeof value !== 'function').map(([name]) => name);
      for (const name of ['EXECUTE', 'FETCH', 'POST_PROCESSING']) {
        if (typeof names?.[name] !== 'string') lacks.push(`OpenTelemetrySpanNames.${name}`);
      }
      if (typeof kinds?.INCOMING_OPERATION !== 'string') lacks.push('GraphQLDataSourceRequestKind.INCOMING_OPERATION');
      if (lacks.length > 0) return `@apollo/gateway lacks ${lacks.join(', ')}`;
      const internals = {
        telemetry,
        rewrites,
        shaping,
        generateHydratedPaths: executor.generateHydratedPaths,
        incomingOperation: kinds!.INCOMING_OPERATION,
        federation,
      } as unknown as ExecutorInternals;
      const apollos = original as ExecuteQueryPlan;
      // Plans handed back to Apollo's own executor (traces captured, @defer) are not its use.
      const executed = createExecuteQueryPlan(internals, (...args) => {
        uses.executed--;
        return apollos(...args);
      });
      const counted: ExecuteQueryPlan = (...args) => {
        uses.executed++;
        return executed(...args);
      };
      return counted;
    },
  },
  {
    name: 'gateway-request-context',
    owner: ['@apollo/server', 'dist/cjs/utils/makeGatewayGraphQLRequestContext.js'],
    exportName: 'makeGatewayGraphQLRequestContext',
    arity: 3,
    caller: ['@apollo/server', 'dist/cjs/requestPipeline.js'],
    callSite:
      /makeGatewayGraphQLRequestContext_js_1 = require\("\.\/utils\/makeGatewayGraphQLRequestContext\.js"\);[^]*internals\.gatewayExecutor\(\(0, makeGatewayGraphQLRequestContext_js_1\.makeGatewayGraphQLRequestContext\)\(requestContext, server, internals\)\)/,
    build(_original, apollo) {
      // Reached only if the services run this build of @apollo/server (platform/src/graphql/apollo.ts).
      const served = (apollo.load('@apollo/server') as { ApolloServer?: unknown }).ApolloServer;
      if (served !== servedApolloServer) return 'the services do not run the CommonJS build of @apollo/server';
      return (context: unknown, server: unknown, internals: unknown) => {
        uses.contexts++;
        return gatewayRequestContext(context, server, internals);
      };
    },
  },
];

/** The folder of the package `name` whose file `entry` is (its entry point: always resolvable). */
function packageDir(entry: string, name: string): string {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) {
      return dir;
    }
  }
  throw new Error(`no package.json of ${name} above ${entry}`);
}

/**
 * @apollo/gateway as the gateway imports it, @apollo/federation-internals as @apollo/gateway
 * requires it, and @apollo/server as the platform requires it.
 */
export function locate() {
  const require = createRequire(import.meta.url);
  const gateway = require.resolve('@apollo/gateway');
  const internals = createRequire(gateway).resolve('@apollo/federation-internals');
  const server = createRequire(require.resolve('@edgeway/platform')).resolve('@apollo/server');
  const dirs: Record<Package, string> = {
    '@apollo/gateway': packageDir(gateway, '@apollo/gateway'),
    '@apollo/federation-internals': packageDir(internals, '@apollo/federation-internals'),
    '@apollo/server': packageDir(server, '@apollo/server'),
  };
  const manifest = (pkg: Package) => JSON.parse(readFileSync(join(dirs[pkg], 'package.json'), 'utf8')) as object;
  return {
    version: (pkg: Package) => String((manifest(pkg) as { version?: unknown }).version ?? '?'),
    load: (pkg: Package, file = '') => require(file ? join(dirs[pkg], file) : dirs[pkg]) as unknown,
    source: (pkg: Package, file: string) => readFileSync(join(dirs[pkg], file), 'utf8'),
  };
}
