/**
 * Label values that come from requests, bounded by what the server knows, so no client can fill
 * the series (and /metrics) with made-up names:
 * - client names only from an allow-list in configuration (`METRICS_CLIENT_NAMES`), others are
 *   `other`, none is `unknown`; versions only for allowed clients, a bounded number each;
 * - operation names from the persisted manifest, or seen with a successful parse and validation,
 *   a bounded number per client label; every other name is `unknown`, and past the bound `other`.
 * Process-wide, like the metrics registry they label.
 */

/** The system's own clients: the BFFs name themselves to the gateway. */
export const DEFAULT_CLIENT_NAMES: readonly string[] = ['bff-web', 'bff-mobile'];
/** Distinct validated operation names counted per client label. */
export const OPERATIONS_PER_CLIENT = 100;
/** Distinct versions counted per allowed client. */
export const VERSIONS_PER_CLIENT = 20;
const MAX_LENGTH = 100;

let allowedClients = new Set(DEFAULT_CLIENT_NAMES);
const manifestOperations = new Set<string>();
const operationsSeen = new Map<string, Set<string>>();
const versionsSeen = new Map<string, Set<string>>();

/** Sets the allow-list of client names (`METRICS_CLIENT_NAMES`). */
export function configureClientNames(names: readonly string[]): void {
  allowedClients = new Set(names);
}

/** Operation names of a persisted manifest: always labelled as themselves. */
export function addKnownOperations(names: Iterable<string>): void {
  for (const name of names) manifestOperations.add(name.slice(0, MAX_LENGTH));
}

/** Admits `value` into `set` while it holds fewer than `max` values. */
function admit(seen: Map<string, Set<string>>, owner: string, value: string, max: number): boolean {
  let set = seen.get(owner);
  if (!set) {
    set = new Set();
    seen.set(owner, set);
  }
  if (set.has(value)) return true;
  if (set.size >= max) return false;
  set.add(value);
  return true;
}

/** The `client_name` label of a request's `apollographql-client-name`. */
export function clientLabel(name: string | undefined): string {
  if (!name) return 'unknown';
  return allowedClients.has(name) ? name : 'other';
}

/** The `client_version` label; `client` is the request's client label. */
export function clientVersionLabel(client: string, version: string | undefined): string {
  if (!version) return 'unknown';
  if (!allowedClients.has(client)) return 'other';
  const label = version.slice(0, MAX_LENGTH);
  return admit(versionsSeen, client, label, VERSIONS_PER_CLIENT) ? label : 'other';
}

/**
 * The `operation` label of a GraphQL request from `client` (its client label): the name when the
 * manifest has it, or when the operation parsed and validated (`validated`) and the client's
 * bound is not reached.
 */
export function operationLabel(client: string, name: string | undefined, validated: boolean): string {
  if (!name) return 'anonymous';
  const label = name.slice(0, MAX_LENGTH);
  if (manifestOperations.has(label)) return label;
  if (!validated) return 'unknown';
  return admit(operationsSeen, client, label, OPERATIONS_PER_CLIENT) ? label : 'other';
}
