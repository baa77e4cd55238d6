import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Logger, metrics } from '@edgeway/platform';
import { cachedOperationFromDocument, type OperationFromDocument } from './hotPath.js';
import { type ComputeResponse, createComputeResponse, type ShapingInternals } from './shaping.js';

/**
 * The exact versions the patches were written for and compared with Apollo's own functions end to
 * end (differential.test.ts). On any other version Apollo's own functions serve.
 */
export const PATCHED_VERSIONS = { '@apollo/gateway': '2.14.4', '@apollo/federation-internals': '2.14.4' } as const;
type Package = keyof typeof PATCHED_VERSIONS;
const PACKAGES = Object.keys(PATCHED_VERSIONS) as Package[];

export type PatchName = 'cached-operations' | 'compiled-shaping';

/**
 * `GATEWAY_APOLLO_PATCHES`. `auto`: each patch whose versions and shape match is installed, Apollo's
 * own function serves in place of any other (an error log line, `edgeway_gateway_patch_active` 0);
 * `required`: any mismatch refuses to start; `off`: nothing is patched.
 */
export type PatchMode = 'auto' | 'required' | 'off';

export interface PatchStatus {
  patch: PatchName;
  active: boolean;
  /** Why it is not active. */
  reason?: string;
}

type Fn = (...args: never[]) => unknown;
type Apollo = ReturnType<typeof locate>;
interface Patch {
  name: PatchName;
  /** The module object whose export is replaced, and the arity of the function it holds. */
  owner: [Package, string];
  exportName: string;
  arity: number;
  /** The executor's call, as it must read for the replacement to be reached. */
  callSite: RegExp;
  /** The replacement, or what the installed code lacks. */
  build(original: Fn, apollo: Apollo): Fn | string;
}

// Shared by every copy of this module in the process (a test runner may load it twice).
const STATE = Symbol.for('edgeway.apolloPatches');
type State = { report?: readonly PatchStatus[]; undo: Array<() => void>; hits: { hits: number }; shaped: number };
const global = globalThis as { [STATE]?: State };
const state: State = (global[STATE] ??= { undo: [], hits: { hits: 0 }, shaped: 0 });

/** Calls each patch served itself: operations reused from the cache; answers shaped by the compiled form. */
export function patchUses(): Record<PatchName, number> {
  return { 'cached-operations': state.hits.hits, 'compiled-shaping': state.shaped };
}

const EXECUTOR = 'dist/executeQueryPlan.js';
const SHAPING_FUNCTIONS = ['assert', 'isObjectType', 'isNonNullType', 'isListType', 'isCompositeType', 'isSubtype'];

const PATCHES: readonly Patch[] = [
  {
    name: 'cached-operations',
    owner: ['@apollo/federation-internals', 'dist/operations.js'],
    exportName: 'operationFromDocument',
    arity: 3,
    callSite:
      /federation_internals_1 = require\("@apollo\/federation-internals"\);[^]*\(0, federation_internals_1\.operationFromDocument\)\(apiSchema, \{[^]*?\}, \{\s*validate: false,\s*\}\)/,
    build(original, apollo) {
      const cached = cachedOperationFromDocument(original as OperationFromDocument, state.hits);
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
      const lacks = [...SHAPING_FUNCTIONS, 'isValidLeafValue', 'Variable'].filter(
        (n) => typeof internals[n] !== 'function',
      );
      if (typeof internals.ERRORS?.INVALID_GRAPHQL?.err !== 'function') lacks.push('ERRORS.INVALID_GRAPHQL');
      if (internals.typenameFieldName !== '__typename') lacks.push('typenameFieldName');
      if (lacks.length > 0) return `@apollo/federation-internals lacks ${lacks.join(', ')}`;
      const apollos = original as ComputeResponse;
      // What the compiled form hands back to Apollo's own (operations it cannot compile) is not its use.
      const compiled = createComputeResponse(internals, (args) => {
        state.shaped--;
        return apollos(args);
      });
      const counted: ComputeResponse = (args) => {
        state.shaped++;
        return compiled(args);
      };
      return counted;
    },
  },
];

/** @apollo/gateway as the gateway imports it, and @apollo/federation-internals as @apollo/gateway requires it. */
function locate() {
  const require = createRequire(import.meta.url);
  const gateway = require.resolve('@apollo/gateway/package.json');
  const internals = createRequire(gateway).resolve('@apollo/federation-internals/package.json');
  const dirs: Record<Package, string> = {
    '@apollo/gateway': dirname(gateway),
    '@apollo/federation-internals': dirname(internals),
  };
  return {
    version: (pkg: Package) => (require(join(dirs[pkg], 'package.json')) as { version?: string }).version ?? '?',
    load: (pkg: Package, file = '') => require(join(dirs[pkg], file)) as unknown,
    source: (pkg: Package, file: string) => readFileSync(join(dirs[pkg], file), 'utf8'),
  };
}

function install(patch: Patch, apollo: Apollo, expected: Readonly<Record<Package, string>>): PatchStatus {
  const not = (reason: string): PatchStatus => ({ patch: patch.name, active: false, reason });
  const wrong = PACKAGES.filter((pkg) => apollo.version(pkg) !== expected[pkg]);
  if (wrong.length > 0) {
    return not(`written for ${wrong.map((pkg) => `${pkg} ${expected[pkg]}, found ${apollo.version(pkg)}`).join('; ')}`);
  }
  const [pkg, file] = patch.owner;
  const owner = apollo.load(pkg, file) as Record<string, Fn>;
  const original = owner[patch.exportName];
  if (typeof original !== 'function' || original.length !== patch.arity) {
    return not(`${pkg}/${file} has no ${patch.exportName} of ${patch.arity} parameter(s)`);
  }
  if (!patch.callSite.test(apollo.source('@apollo/gateway', EXECUTOR))) {
    return not(`@apollo/gateway's executor no longer calls ${patch.exportName} as the patch expects`);
  }
  const replacement = patch.build(original, apollo);
  if (typeof replacement === 'string') return not(replacement);
  owner[patch.exportName] = replacement;
  state.undo.push(() => void (owner[patch.exportName] = original));
  return { patch: patch.name, active: true };
}

/**
 * Puts Edgeway's replacements of two functions inside Apollo's packages in place (hotPath.ts,
 * shaping.ts), each only if the installed packages are the versions it was written for and the
 * function and its call in the executor have the shape it expects. Logs one line naming the
 * active patches, one error line per patch left out, and sets `edgeway_gateway_patch_active`.
 * The first call decides; later calls return its report.
 */
export function installApolloPatches(options: {
  logger: Logger;
  /** @default 'auto' */
  mode?: PatchMode;
  /** @default PATCHED_VERSIONS */
  expectedVersions?: Readonly<Record<Package, string>>;
}): readonly PatchStatus[] {
  if (state.report) return state.report;
  const { logger, mode = 'auto', expectedVersions = PATCHED_VERSIONS } = options;
  const apollo = locate();
  const report = PATCHES.map((patch) =>
    mode === 'off'
      ? { patch: patch.name, active: false, reason: 'turned off (GATEWAY_APOLLO_PATCHES=off)' }
      : install(patch, apollo, expectedVersions),
  );
  const left = report.filter((status) => !status.active);
  if (mode === 'required' && left.length > 0) {
    uninstallApolloPatches();
    const reasons = left.map((status) => `${status.patch}: ${status.reason}`).join('; ');
    throw new Error(`Apollo patches required (GATEWAY_APOLLO_PATCHES=required) but not installable: ${reasons}`);
  }
  const found = Object.fromEntries(PACKAGES.map((pkg) => [pkg, apollo.version(pkg)]));
  for (const status of mode === 'off' ? [] : left) {
    const { exportName } = PATCHES.find((patch) => patch.name === status.patch) as Patch;
    logger.error(
      { patch: status.patch, expected: expectedVersions, found },
      `Apollo patch ${status.patch} not installed: ${status.reason}; Apollo's own ${exportName} serves instead ` +
        '(same answers, more CPU). Check the patch against this version, or set GATEWAY_APOLLO_PATCHES=off to ' +
        'acknowledge (=required refuses to start)',
    );
  }
  for (const status of report) metrics.patchActive.labels(status.patch).set(status.active ? 1 : 0);
  metrics.observePatchUses(patchUses);
  const active = report.filter((status) => status.active).map((status) => status.patch);
  logger.info({ mode, active }, `Apollo patches active: ${active.join(', ') || 'none'}`);
  state.report = report;
  return report;
}

/** Puts Apollo's own functions back and forgets the report (tests: the next install decides again). */
export function uninstallApolloPatches(): void {
  for (const undo of state.undo.splice(0).reverse()) undo();
  state.report = undefined;
}
