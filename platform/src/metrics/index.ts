import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { shareMetrics, workerSlot } from '../cluster/worker.js';

/**
 * Every metric a service exposes on /metrics, named the Prometheus way (base units, `_total`
 * for counters). One registry per process; the service's name is a default label.
 */
export const registry = new Registry();
let defaultsCollected = false;

/**
 * Labels every metric with the service's name and starts process metrics (CPU, memory, GC, event
 * loop). In worker mode the process metrics carry `worker` (1..N): a heap cap, an event loop and
 * a GC are each worker's own, and a sum or an average would hide the one in trouble; the
 * service's own metrics are summed over the workers.
 */
export function initMetrics(service: string): void {
  registry.setDefaultLabels({ service });
  if (defaultsCollected) return;
  defaultsCollected = true;
  const worker = workerSlot();
  collectDefaultMetrics({ register: registry, ...(worker ? { labels: { worker: String(worker) } } : {}) });
  if (worker) shareMetrics(registry);
}

const registers = [registry];
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const requestsTotal = new Counter({
  name: 'edgeway_requests_total',
  help: 'Requests answered, by GraphQL operation, client and HTTP status',
  labelNames: ['operation', 'client_name', 'client_version', 'status'] as const,
  registers,
});

export const requestDuration = new Histogram({
  name: 'edgeway_request_duration_seconds',
  help: 'Time to answer a request, by GraphQL operation and client',
  labelNames: ['operation', 'client_name'] as const,
  buckets: LATENCY_BUCKETS,
  registers,
});

export const requestsInFlight = new Gauge({
  name: 'edgeway_requests_in_flight',
  help: 'Requests received and not yet answered (what a drain waits for)',
  registers,
});

export const admissionLimit = new Gauge({
  name: 'edgeway_concurrency_limit',
  help: 'GraphQL operations allowed to run at once (CONCURRENCY_LIMIT; moves with the CPU when auto)',
  registers,
});

export const admissionRunning = new Gauge({
  name: 'edgeway_concurrency_running',
  help: 'GraphQL operations running (admitted, not yet answered)',
  registers,
});

export const admissionQueued = new Gauge({
  name: 'edgeway_concurrency_queued',
  help: 'GraphQL requests waiting for a turn to run',
  registers,
});

export const admissionRejections = new Counter({
  name: 'edgeway_concurrency_rejections_total',
  help: 'Requests refused 503 OVERLOADED by admission control, by reason (queue_full, queue_timeout)',
  labelNames: ['reason'] as const,
  registers,
});

export const requestErrors = new Counter({
  name: 'edgeway_request_errors_total',
  help: 'Errors in answers, by GraphQL operation and error code',
  labelNames: ['operation', 'code'] as const,
  registers,
});

export const upstreamDuration = new Histogram({
  name: 'edgeway_upstream_duration_seconds',
  help: 'Time of calls to a dependency, by dependency and outcome (ok, or the failure reason)',
  labelNames: ['dependency', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers,
});

export const upstreamErrors = new Counter({
  name: 'edgeway_upstream_errors_total',
  help: 'Failed calls to a dependency, by dependency and reason (TIMEOUT, UPSTREAM_ERROR, CIRCUIT_OPEN)',
  labelNames: ['dependency', 'reason'] as const,
  registers,
});

export const upstreamRetries = new Counter({
  name: 'edgeway_upstream_retries_total',
  help: 'Idempotent calls to a dependency sent again at once on a fresh connection (refused, reset, 5xx, draining)',
  labelNames: ['dependency'] as const,
  registers,
});

export const circuitState = new Gauge({
  name: 'edgeway_circuit_state',
  help: 'Circuit breaker state by dependency: 0 closed, 1 half-open, 2 open, 3 isolated',
  labelNames: ['dependency'] as const,
  registers,
  // Each worker has its own breakers: in worker mode the worst one is the pod's state.
  aggregator: 'max',
});

export const degradedTotal = new Counter({
  name: 'edgeway_degraded_total',
  help: 'Fields answered with a fallback, by dependency, reason and fallback',
  labelNames: ['dependency', 'reason', 'fallback'] as const,
  registers,
});

export const degradedResponses = new Counter({
  name: 'edgeway_degraded_responses_total',
  help: 'Responses with at least one degraded field',
  registers,
});

export const rateLimitRejections = new Counter({
  name: 'edgeway_rate_limit_rejections_total',
  help: 'Requests refused with 429, by kind of client (user, api_key, ip)',
  labelNames: ['client_kind'] as const,
  registers,
});

export const cacheRequests = new Counter({
  name: 'edgeway_cache_requests_total',
  help: 'Cache lookups by cache and result (hit, miss)',
  labelNames: ['cache', 'result'] as const,
  registers,
});

export const prefetches = new Counter({
  name: 'edgeway_prefetch_total',
  help: 'Prefetches made on a guess (a screen pricing the picks it was last given before recommendations answer), by prefetch and outcome (hit: the guess held; miss: more had to be fetched)',
  labelNames: ['prefetch', 'outcome'] as const,
  registers,
});

export const rateLimitFallbacks = new Counter({
  name: 'edgeway_rate_limit_fallback_total',
  help: 'Rate-limit decisions taken by the local in-memory counters because Redis was unreachable',
  registers,
});

export const supergraphReloads = new Counter({
  name: 'edgeway_supergraph_reloads_total',
  help: 'Supergraph file changes seen by the gateway, by result (success: now served; error: invalid, the previous schema is kept)',
  labelNames: ['result'] as const,
  registers,
});

export const configReloads = new Counter({
  name: 'edgeway_config_reloads_total',
  help: 'Configuration file changes seen by the gateway, by result (success: applied; error: invalid, the previous settings are kept)',
  labelNames: ['result'] as const,
  registers,
});

export const subgraphVariantRequests = new Counter({
  name: 'edgeway_subgraph_variant_requests_total',
  help: 'Fetches to a subgraph with a canary, by variant chosen (stable, canary) and outcome (ok; error: the client saw the failure; fallback: the canary failed or its circuit was open, stable was asked instead)',
  labelNames: ['subgraph', 'variant', 'outcome'] as const,
  registers,
});

export const patchActive = new Gauge({
  name: 'edgeway_gateway_patch_active',
  help: "1 while a patch of the gateway's Apollo internals is installed; 0 while Apollo's own function serves instead (version or shape mismatch, or turned off), by patch",
  labelNames: ['patch'] as const,
  // Across cluster workers: 0 if any worker serves without the patch.
  aggregator: 'min',
  registers,
});

let readPatchUses: () => Record<string, number> = () => ({});

/**
 * Where the gateway's patches keep their counts: plain integers bumped on the hot path (no label
 * lookup per call), read here at each scrape.
 */
export function observePatchUses(read: () => Record<string, number>): void {
  readPatchUses = read;
}

export const patchUses = new Counter({
  name: 'edgeway_gateway_patch_used_total',
  help: "Calls a patch of Apollo internals served itself (cached-operations: operations reused; compiled-shaping: answers shaped by the compiled form; plan-executor: query plans run by Edgeway itself; gateway-request-context: requests Apollo Server handed to the gateway in Edgeway's form), by patch",
  labelNames: ['patch'] as const,
  registers,
  collect() {
    const uses = readPatchUses();
    this.reset();
    for (const [patch, count] of Object.entries(uses)) this.inc({ patch }, count);
  },
});
