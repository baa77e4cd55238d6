import { ConfigError, type Logger, metrics } from '@edgeway/platform';
import {
  type Apollo,
  EXECUTOR,
  locate,
  PACKAGES,
  type Package,
  type Patch,
  type PatchName,
  PATCHED_VERSIONS,
  PATCHES,
  patchUses,
} from './apolloPatchTable.js';

export { PATCHED_VERSIONS, type PatchName, patchUses };

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

// Shared by every copy of this module in the process (a test runner may load it twice).
const STATE = Symbol.for('edgeway.apolloPatches');
const global = globalThis as { [STATE]?: { report?: readonly PatchStatus[]; undo: Array<() => void> } };
const state = (global[STATE] ??= { undo: [] });

function attempt<T>(run: () => T): T | Error {
  try {
    return run();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function install(patch: Patch, apollo: Apollo, expected: Readonly<Record<Package, string>>): PatchStatus {
  const not = (reason: string): PatchStatus => ({ patch: patch.name, active: false, reason });
  const wrong = PACKAGES.filter((pkg) => apollo.version(pkg) !== expected[pkg]);
  if (wrong.length > 0) {
    return not(`written for ${wrong.map((pkg) => `${pkg} ${expected[pkg]}, found ${apollo.version(pkg)}`).join('; ')}`);
  }
  const [pkg, file] = patch.owner;
  const owner = apollo.load(pkg, file) as Record<string, (...args: never[]) => unknown>;
  const original = owner[patch.exportName];
  if (typeof original !== 'function' || original.length !== patch.arity) {
    return not(`${pkg}/${file} has no ${patch.exportName} of ${patch.arity} parameter(s)`);
  }
  const [callerPackage, caller] = patch.caller ?? ['@apollo/gateway', EXECUTOR];
  if (!patch.callSite.test(apollo.source(callerPackage, caller))) {
    return not(`${callerPackage}'s ${caller} no longer calls ${patch.exportName} as the patch expects`);
  }
  const replacement = patch.build(original, apollo);
  if (typeof replacement === 'string') return not(replacement);
  owner[patch.exportName] = replacement;
  state.undo.push(() => void (owner[patch.exportName] = original));
  return { patch: patch.name, active: true };
}

/**
 * Puts Edgeway's replacements of functions inside Apollo's packages in place (apolloPatchTable.ts),
 * each only if the installed packages are the versions it was written for and the
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
  const located = attempt(locate);
  const report = PATCHES.map((patch): PatchStatus => {
    const not = (reason: string): PatchStatus => ({ patch: patch.name, active: false, reason });
    if (mode === 'off') return not('turned off (GATEWAY_APOLLO_PATCHES=off)');
    if (located instanceof Error) return not(`could not find Apollo: ${located.message}`);
    // Whatever the installed packages look like, looking at them must not stop the gateway.
    const status = attempt(() => install(patch, located, expectedVersions));
    return status instanceof Error ? not(`could not inspect Apollo: ${status.message}`) : status;
  });
  const left = mode === 'off' ? [] : report.filter((status) => !status.active);
  const found = Object.fromEntries(PACKAGES.map((pkg) => [pkg, located instanceof Error ? '?' : located.version(pkg)]));
  const consequence =
    mode === 'required'
      ? 'GATEWAY_APOLLO_PATCHES=required: the gateway does not start. Check the patch against this version, ' +
        "or set GATEWAY_APOLLO_PATCHES=auto to serve with Apollo's own functions"
      : "Apollo's own function serves instead (same answers, more CPU). Check the patch against this version, " +
        'or set GATEWAY_APOLLO_PATCHES=off to acknowledge (=required refuses to start)';
  for (const status of left) {
    const { exportName } = PATCHES.find((patch) => patch.name === status.patch) as Patch;
    logger.error(
      { patch: status.patch, expected: expectedVersions, found },
      `Apollo patch ${status.patch} (${exportName}) not installed: ${status.reason}; ${consequence}`,
    );
  }
  if (mode === 'required' && left.length > 0) {
    uninstallApolloPatches();
    throw new ConfigError(
      left.map((status) => `GATEWAY_APOLLO_PATCHES=required, but Apollo patch ${status.patch}: ${status.reason}`),
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
