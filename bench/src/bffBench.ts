// The BFF benchmark: the whole system started once (scripts/system.ts), REST dependencies given a
// fixed latency with x-chaos, then the gateway round trip, mobile `home`, web `dashboard`, and
// mobile `home` again with the recommendations service dead and its circuit open.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kind, parse, print } from 'graphql';
import { BENCH_SYSTEM_ENV, type ChainLeg, type ChainRun, loadChain, runChain } from './bffChain.js';
import { percentile, runLoad, type Slice } from './load.js';
import { pinSelf } from './proc.js';
import { ROOT } from './targets.js';
import { launchSystem, type RunningService, type RunningSystem, type ServiceName } from '../../scripts/system.js';

/** The latency every REST dependency gets (x-chaos `slow`), so the BFFs' fan-out shape shows in latency. */
export const REST_LATENCY_MS = 20;
const HEALTHY_CHAOS = `pricing=slow:${REST_LATENCY_MS},recommendations=slow:${REST_LATENCY_MS}`;
// With recommendations dead, its injected sleep is left out: the policy sleeps before it looks at
// the breaker (chaos sits outside the breakers), so keeping it would add 20 ms no real outage adds.
const DEGRADED_CHAOS = `pricing=slow:${REST_LATENCY_MS}`;
const DEPENDENCIES = ['gateway', 'pricing', 'recommendations'] as const;
type Dependency = (typeof DEPENDENCIES)[number];

export interface BffBenchOptions {
  /** Seconds per measurement. */
  sliceSeconds: number;
  /** Seconds of load before each healthy measurement, not measured (JIT, pools, last-good cache). */
  warmupSeconds: number;
  connections: number;
  /** Cores for the system's processes and for this process (the load generator); unpinned when absent. */
  systemCpus?: string;
  loadCpus?: string;
  log: (line: string) => void;
}

export interface LatencyStats {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Transport errors and timeouts. */
  errors: number;
  non2xx: number;
  /** 200 answers that failed the scenario's check. */
  mismatches: number;
}

/** What one dependency cost per BFF operation over a measurement. */
export interface UpstreamUsage {
  dependency: Dependency;
  /** Calls the BFF's policy let through (edgeway_upstream_duration_seconds_count, all outcomes but CIRCUIT_OPEN). */
  callsPerOperation: number;
  /** Calls refused by the open circuit without touching the network. */
  shortCircuitedPerOperation: number;
  /** Calls that failed (TIMEOUT, UPSTREAM_ERROR). */
  failedPerOperation: number;
  /** HTTP requests the dependency itself counted (retries included); null when it could not be asked. */
  receivedPerOperation: number | null;
  /** Mean duration of successful calls as the BFF saw them, injected latency included. */
  meanOkCallMs: number | null;
}

export interface ScenarioResult extends LatencyStats {
  name: string;
  chaos: string;
  /**
   * Operations of the counted run after the measurement (same connections and request, a fixed
   * count, nothing cut off): the denominator of every per-operation figure.
   */
  operations: number;
  upstream: UpstreamUsage[];
  /** Gateway requests per BFF operation, by gateway operation name (from the gateway's /metrics). */
  gatewayOperations: Record<string, number>;
  /** Guesses the BFF priced on over the counted run (edgeway_prefetch_total), by prefetch. */
  prefetches: Record<string, { hit: number; miss: number }>;
}

export interface DegradedResult extends ScenarioResult {
  /** Requests sent after the kill until /health/dependencies showed the circuit open. */
  requestsToOpen: number;
  /** The recommendations circuit after the measurement (it may have gone half-open and back). */
  circuitAfter: string;
  /** `extensions.degraded` of one answer, as sent. */
  sampleDegraded: DegradedEntry[];
}

/** Latency percentiles of one part of a measurement. */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/**
 * The home screen's slowest dependency chain, measured without the BFF: its gateway request and
 * its two REST calls (each after the injected delay) sent straight from the load generator, all
 * at once; a chain ends when the last answers. With its guess holding, home waits for nothing
 * else, so this is the floor home's latency stands on.
 */
export interface ChainStats extends LatencyStats {
  /** Each request alone, the injected delay included. */
  legs: Record<string, Percentiles>;
}

export interface BffBenchResult {
  connections: number;
  sliceSeconds: number;
  warmupSeconds: number;
  restLatencyMs: number;
  /**
   * The machine's 1-minute load average before the system started and after the measurements:
   * on a shared 2-core machine it says how much the figures are queueing for CPU.
   */
  loadAverage: { before: number; after: number };
  /** Mobile home's requests sent straight to its dependencies, interleaved with the home measurement. */
  homeChain: ChainStats;
  mobileHome: ScenarioResult;
  webDashboard: ScenarioResult;
  degradedHome: DegradedResult;
  targets: {
    /** Mobile home's p50 within 5 ms of its slowest dependency chain's p50. */
    overChain: { gapMs: number; limitMs: number; p50: number; chainP50: number; pass: boolean };
    /** What its three requests one after the other would cost (sum of their p50s), for contrast. */
    serialSumMs: number;
    /** Graceful degradation: mobile home with recommendations' circuit open is not slower. */
    degraded: { p50Ratio: number; p99Ratio: number; pass: boolean };
  };
}

interface DegradedEntry {
  path?: Array<string | number>;
  dependency?: string;
  reason?: string;
  fallback?: string;
}

interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
  extensions?: { degraded?: DegradedEntry[] };
}

/** One kind of request under load: where it goes, what it sends, and what a right answer is. */
interface Scenario {
  name: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  check: (answer: GraphQLAnswer) => boolean;
}

// ---------------------------------------------------------------------------------------------
// Operations: the clients' own query texts, read where they live so the benchmark sends what the
// apps and the BFF send.

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The mobile app's persisted HomeScreen operation. */
function mobileHomeQuery(): string {
  return read('bff-mobile/operations/HomeScreen.graphql');
}

/** The web dashboard as the system tests ask for it (test/bff-web.test.ts). */
function webDashboardQuery(): string {
  const match = /const DASHBOARD = `([^`]+)`/.exec(read('test/bff-web.test.ts'));
  if (!match?.[1]) throw new Error('test/bff-web.test.ts no longer defines DASHBOARD');
  return match[1];
}

/**
 * The home feature's gateway operation (MobileHome) with its fragments, printed as the BFF's
 * GraphQL client prints the generated document.
 */
function gatewayMobileHomeQuery(): string {
  const feature = 'bff-mobile/src/features';
  const document = parse(
    `${read(`${feature}/home/home.gateway.graphql`)}\n${read(`${feature}/common/common.gateway.graphql`)}`,
  );
  const definitions = document.definitions.filter(
    (d) =>
      (d.kind === Kind.OPERATION_DEFINITION && d.name?.value === 'MobileHome') || d.kind === Kind.FRAGMENT_DEFINITION,
  );
  return print({ ...document, definitions });
}

// ---------------------------------------------------------------------------------------------
// Answer checks

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const nonEmptyList = (value: unknown) => Array.isArray(value) && value.length > 0;

function parseAnswer(body: string): GraphQLAnswer | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return isObject(parsed) ? (parsed as GraphQLAnswer) : undefined;
  } catch {
    return undefined;
  }
}

/** A complete answer: data, no errors, nothing degraded, and the scenario's own check. */
function healthy(check: (data: Record<string, unknown>) => boolean): Scenario['check'] {
  return (answer) =>
    isObject(answer.data) &&
    answer.errors === undefined &&
    answer.extensions?.degraded === undefined &&
    check(answer.data);
}

/** An answer that left out recommendations, and only recommendations, without an error. */
function degradedByRecommendations(check: (data: Record<string, unknown>) => boolean): Scenario['check'] {
  return (answer) => {
    const degraded = answer.extensions?.degraded ?? [];
    return (
      isObject(answer.data) &&
      answer.errors === undefined &&
      degraded.length > 0 &&
      degraded.every((entry) => entry.dependency === 'recommendations') &&
      check(answer.data)
    );
  };
}

// A signed-in home has a viewer; with recommendations up it has picks too.
const homeOf = (data: Record<string, unknown>) => (isObject(data.home) ? data.home : {});
const homeSignedIn = (data: Record<string, unknown>) => isObject(homeOf(data).viewer);
const homeWithPicks = (data: Record<string, unknown>) => homeSignedIn(data) && nonEmptyList(homeOf(data).recommended);
const dashboardComplete = (data: Record<string, unknown>) =>
  isObject(data.dashboard) && isObject(data.dashboard.user) && nonEmptyList(data.dashboard.recommendations);
const gatewayHomeComplete = (data: Record<string, unknown>) => nonEmptyList(data.topProducts) && isObject(data.me);

// ---------------------------------------------------------------------------------------------
// Prometheus text: enough of the format to sum a metric's samples by label.

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match?.[1] || match[3] === undefined) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      if (key) labels[key] = value ?? '';
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

async function scrape(service: RunningService): Promise<Sample[]> {
  const response = await fetch(`${service.url}/metrics`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`${service.name} /metrics answered ${response.status}`);
  return parseMetrics(await response.text());
}

/** Scrapes, or undefined when the service is gone (the killed recommendations service). */
async function scrapeIfAlive(service: RunningService): Promise<Sample[] | undefined> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return undefined;
  return scrape(service).catch(() => undefined);
}

function sum(
  samples: readonly Sample[],
  name: string,
  where: (labels: Record<string, string>) => boolean = () => true,
) {
  return samples.reduce((total, s) => (s.name === name && where(s.labels) ? total + s.value : total), 0);
}

/** The counters one measurement compares before and after. */
interface Snapshot {
  bff: Sample[];
  /** Each dependency's own metrics, absent when it is down. */
  upstream: Partial<Record<Dependency, Sample[]>>;
}

async function snapshot(bff: RunningService, system: SystemView): Promise<Snapshot> {
  const [bffSamples, ...upstream] = await Promise.all([
    scrape(bff),
    ...DEPENDENCIES.map((name) => scrapeIfAlive(system.get(name))),
  ]);
  return {
    bff: bffSamples ?? [],
    upstream: Object.fromEntries(DEPENDENCIES.flatMap((name, i) => (upstream[i] ? [[name, upstream[i]]] : []))),
  };
}

const UPSTREAM_COUNT = 'edgeway_upstream_duration_seconds_count';
const UPSTREAM_SUM = 'edgeway_upstream_duration_seconds_sum';
const REQUESTS = 'edgeway_requests_total';

function upstreamUsage(before: Snapshot, after: Snapshot, operations: number, dependency: Dependency): UpstreamUsage {
  const delta = (name: string, where: (labels: Record<string, string>) => boolean) =>
    sum(after.bff, name, (l) => l.dependency === dependency && where(l)) -
    sum(before.bff, name, (l) => l.dependency === dependency && where(l));
  const all = delta(UPSTREAM_COUNT, () => true);
  const shortCircuited = delta(UPSTREAM_COUNT, (l) => l.outcome === 'CIRCUIT_OPEN');
  const ok = delta(UPSTREAM_COUNT, (l) => l.outcome === 'ok');
  const okSeconds = delta(UPSTREAM_SUM, (l) => l.outcome === 'ok');
  const receivedBefore = before.upstream[dependency];
  const receivedAfter = after.upstream[dependency];
  return {
    dependency,
    callsPerOperation: (all - shortCircuited) / operations,
    shortCircuitedPerOperation: shortCircuited / operations,
    failedPerOperation: (all - shortCircuited - ok) / operations,
    receivedPerOperation:
      receivedBefore && receivedAfter
        ? (sum(receivedAfter, REQUESTS) - sum(receivedBefore, REQUESTS)) / operations
        : null,
    meanOkCallMs: ok > 0 ? (okSeconds / ok) * 1000 : null,
  };
}

const PREFETCHES = 'edgeway_prefetch_total';

/** How the BFF's guesses fared between two snapshots, by prefetch. */
function prefetches(before: Snapshot, after: Snapshot): Record<string, { hit: number; miss: number }> {
  const names = new Set(after.bff.filter((s) => s.name === PREFETCHES).map((s) => s.labels.prefetch ?? '?'));
  const delta = (prefetch: string, outcome: string) => {
    const where = (l: Record<string, string>) => l.prefetch === prefetch && l.outcome === outcome;
    return sum(after.bff, PREFETCHES, where) - sum(before.bff, PREFETCHES, where);
  };
  return Object.fromEntries([...names].map((name) => [name, { hit: delta(name, 'hit'), miss: delta(name, 'miss') }]));
}

/** Gateway requests per BFF operation by the gateway's operation label (MobileHome, MobileProductsByUpc, ...). */
function gatewayOperations(before: Snapshot, after: Snapshot, operations: number): Record<string, number> {
  const byOperation = (samples: readonly Sample[] | undefined) => {
    const counts = new Map<string, number>();
    for (const s of samples ?? []) {
      if (s.name === REQUESTS)
        counts.set(s.labels.operation ?? '?', (counts.get(s.labels.operation ?? '?') ?? 0) + s.value);
    }
    return counts;
  };
  const start = byOperation(before.upstream.gateway);
  const result: Record<string, number> = {};
  for (const [operation, count] of byOperation(after.upstream.gateway)) {
    const delta = count - (start.get(operation) ?? 0);
    if (delta > 0) result[operation] = delta / operations;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Load

function stats(slice: Slice): LatencyStats {
  const sorted = [...slice.latencies].sort((a, b) => a - b);
  return {
    requests: slice.requests,
    seconds: slice.seconds,
    rps: slice.requests / slice.seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    errors: slice.errors,
    non2xx: slice.non2xx,
    mismatches: slice.mismatches,
  };
}

function load(scenario: Scenario, connections: number, seconds: number): Promise<Slice> {
  return runLoad({
    url: scenario.url,
    body: scenario.body,
    headers: scenario.headers,
    connections,
    seconds,
    verify: (body) => {
      const answer = parseAnswer(body);
      return answer !== undefined && scenario.check(answer);
    },
  });
}

/** One request, checked, before any load: a wrong setup fails here with the answer in the message. */
async function probe(scenario: Scenario): Promise<GraphQLAnswer> {
  const response = await fetch(scenario.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...scenario.headers },
    body: scenario.body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  const answer = parseAnswer(text);
  if (response.status !== 200 || !answer || !scenario.check(answer)) {
    throw new Error(`${scenario.name}: unexpected answer ${response.status} ${text.slice(0, 600)}`);
  }
  return answer;
}

/** Fails the run when a measurement's answers were not all right: its figures would mean nothing. */
function requireClean(name: string, result: LatencyStats): void {
  const bad = result.errors + result.non2xx + result.mismatches;
  if (result.requests === 0 || bad > 0) {
    throw new Error(
      `${name}: ${result.requests} requests, ${result.errors} errors, ${result.non2xx} non-200, ${result.mismatches} wrong answers`,
    );
  }
}

/**
 * Waits until the BFF is idle: nothing in flight and its counters unchanged between two scrapes.
 * A slice ends by closing its connections with one request in flight on each; the BFF may carry
 * those on (no abort reaches its upstream calls), so their calls land after the slice.
 */
async function quiesce(bff: RunningService, log: BffBenchOptions['log']): Promise<void> {
  const activity = (samples: readonly Sample[]) =>
    `${sum(samples, 'edgeway_requests_in_flight')}/${sum(samples, REQUESTS)}/${sum(samples, UPSTREAM_COUNT)}`;
  let previous = '';
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(300)) {
    const samples = await scrape(bff);
    const current = activity(samples);
    if (current === previous && sum(samples, 'edgeway_requests_in_flight') === 0) return;
    previous = current;
  }
  log(`${bff.name} did not go idle within 10 s: upstream counts may include stray calls`);
}

/** Operations per connection in a counted run: enough to see a retry in a few hundred calls, short. */
const COUNTED_PER_CONNECTION = 5;

/**
 * Exactly `connections × perConnection` operations, each connection sending its next when the
 * last is answered (as the load does), all of them answered: a timed slice ends by cutting off
 * one request per connection, some of which the BFF still serves and some not, so it has no exact
 * operation count to divide upstream calls by. Returns how many answers failed the check.
 */
async function countedRun(scenario: Scenario, connections: number, perConnection: number): Promise<number> {
  let wrong = 0;
  const connection = async () => {
    for (let i = 0; i < perConnection; i++) {
      const response = await fetch(scenario.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...scenario.headers },
        body: scenario.body,
        signal: AbortSignal.timeout(30_000),
      });
      const answer = parseAnswer(await response.text());
      if (response.status !== 200 || !answer || !scenario.check(answer)) wrong++;
    }
  };
  await Promise.all(Array.from({ length: connections }, connection));
  return wrong;
}

/** Upstream calls per operation, from the counters around a counted run. */
async function measureUpstream(
  scenario: Scenario,
  bff: RunningService,
  system: SystemView,
  options: BffBenchOptions,
): Promise<Pick<ScenarioResult, 'operations' | 'upstream' | 'gatewayOperations' | 'prefetches'>> {
  // Idle first: the requests the slice cut off may still be calling upstreams.
  await quiesce(bff, options.log);
  const before = await snapshot(bff, system);
  const operations = options.connections * COUNTED_PER_CONNECTION;
  const wrong = await countedRun(scenario, options.connections, COUNTED_PER_CONNECTION);
  await quiesce(bff, options.log);
  const after = await snapshot(bff, system);
  const answered = sum(after.bff, REQUESTS) - sum(before.bff, REQUESTS);
  if (wrong > 0 || answered !== operations) {
    throw new Error(
      `${scenario.name}: counted run of ${operations}: ${wrong} wrong answers, the BFF counted ${answered}`,
    );
  }
  return {
    operations,
    upstream: DEPENDENCIES.map((dependency) => upstreamUsage(before, after, operations, dependency)),
    gatewayOperations: gatewayOperations(before, after, operations),
    prefetches: prefetches(before, after),
  };
}

/** Latency under load on a BFF (`measured`, when taken already), then its upstream calls per operation. */
async function measureBff(
  scenario: Scenario & { chaos: string },
  bff: RunningService,
  system: SystemView,
  options: BffBenchOptions,
  measured?: Slice,
): Promise<ScenarioResult> {
  const result = stats(measured ?? (await load(scenario, options.connections, options.sliceSeconds)));
  requireClean(scenario.name, result);
  options.log(`${scenario.name}: ${result.rps.toFixed(1)} rps, p50 ${result.p50.toFixed(1)} ms`);
  return {
    name: scenario.name,
    chaos: scenario.chaos,
    ...result,
    ...(await measureUpstream(scenario, bff, system, options)),
  };
}

/** Turns of the chain and of the screen in one measurement: background load drifting falls on both. */
const CHAIN_ROUNDS = 3;

function merged(slices: readonly Slice[]): Slice {
  return {
    requests: slices.reduce((n, s) => n + s.requests, 0),
    errors: slices.reduce((n, s) => n + s.errors, 0),
    non2xx: slices.reduce((n, s) => n + s.non2xx, 0),
    mismatches: slices.reduce((n, s) => n + s.mismatches, 0),
    seconds: slices.reduce((n, s) => n + s.seconds, 0),
    latencies: slices.flatMap((s) => s.latencies),
  };
}

function percentilesOf(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

function chainStats(runs: readonly ChainRun[]): ChainStats {
  const samples = runs.flatMap((run) => run.samples);
  const seconds = runs.reduce((n, run) => n + run.seconds, 0);
  const names = Object.keys(samples[0]?.legs ?? {});
  return {
    ...percentilesOf(samples.map((s) => s.total)),
    requests: samples.length,
    seconds,
    rps: samples.length / seconds,
    errors: 0,
    non2xx: 0,
    mismatches: runs.reduce((n, run) => n + run.failures, 0),
    legs: Object.fromEntries(names.map((name) => [name, percentilesOf(samples.map((s) => s.legs[name] ?? NaN))])),
  };
}

/**
 * The screen and its dependency chain measured in turns (one slice of each per round, the same
 * connections), so the gap between them is not the machine's drift between two measurements.
 */
async function screenAndChain(
  scenario: Scenario,
  legs: readonly ChainLeg[],
  options: BffBenchOptions,
): Promise<{ screen: Slice; chain: ChainStats }> {
  const seconds = Math.max(1, Math.round(options.sliceSeconds / CHAIN_ROUNDS));
  const screens: Slice[] = [];
  const chains: ChainRun[] = [];
  for (let round = 0; round < CHAIN_ROUNDS; round++) {
    chains.push(await loadChain(legs, seconds));
    screens.push(await load(scenario, options.connections, seconds));
  }
  const chain = chainStats(chains);
  requireClean(`${scenario.name} chain`, chain);
  options.log(`${scenario.name} chain: p50 ${chain.p50.toFixed(1)} ms`);
  return { screen: merged(screens), chain };
}

async function warmUp(scenario: Scenario, options: BffBenchOptions): Promise<void> {
  // The first requests after start meet cold code, on a machine that may be loaded, and may run
  // into an upstream deadline: a few tries before the setup counts as wrong.
  for (let attempt = 1; ; attempt++) {
    try {
      await probe(scenario);
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      options.log(`${scenario.name}: ${(error as Error).message.slice(0, 200)}; trying again`);
      await sleep(1_000);
    }
  }
  if (options.warmupSeconds <= 0) return;
  options.log(`warming up ${scenario.name} (${options.warmupSeconds} s)`);
  requireClean(`${scenario.name} warm-up`, stats(await load(scenario, options.connections, options.warmupSeconds)));
}

// ---------------------------------------------------------------------------------------------
// Home's dependency chain

/** The picks home asks for (bff-mobile's home feature, `PICKS`). */
const HOME_PICKS = 5;

const upcsOf = (value: unknown) =>
  (Array.isArray(value) ? value : []).flatMap((card) =>
    isObject(card) && typeof card.upc === 'string' ? [card.upc] : [],
  );

/**
 * Home's three requests as the BFF sends them when its guess holds: the MobileHome screen query
 * with the expected picks' cards, the user's picks, and one pricing call for the top products and
 * the picks, in that order (the paths its REST clients call); the REST calls after the injected
 * latency, as the BFF's policy sleeps before it sends.
 */
function homeChainLegs(system: SystemView, auth: Record<string, string>, sample: GraphQLAnswer): ChainLeg[] {
  const home = homeOf(sample.data ?? {});
  const picks = upcsOf(home.recommended);
  const priced = [...new Set([...upcsOf(home.topProducts), ...picks])];
  const ok = (status: number, body: string) => status === 200 && parseAnswer(body) !== undefined;
  return [
    {
      name: 'gateway',
      url: `${system.get('gateway').url}/graphql`,
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        query: gatewayMobileHomeQuery(),
        operationName: 'MobileHome',
        variables: { first: 5, withViewer: true, withOrders: true, expected: picks, withExpected: true },
      }),
      delayMs: 0,
      check: (status, body) => {
        const answer = parseAnswer(body);
        return status === 200 && answer !== undefined && healthy(gatewayHomeComplete)(answer);
      },
    },
    {
      name: 'pricing',
      url: `${system.get('pricing').url}/v1/prices?${priced.map((upc) => `upc=${encodeURIComponent(upc)}`).join('&')}`,
      method: 'GET',
      headers: {},
      delayMs: REST_LATENCY_MS,
      check: ok,
    },
    {
      name: 'recommendations',
      url: `${system.get('recommendations').url}/v1/users/1/recommendations?limit=${HOME_PICKS}`,
      method: 'GET',
      headers: {},
      delayMs: REST_LATENCY_MS,
      check: ok,
    },
  ];
}

/** One chain before measuring: a wrong leg fails here, with its answer. */
async function checkChain(legs: readonly ChainLeg[]): Promise<void> {
  const { failures } = await runChain(legs);
  if (failures > 0) throw new Error(`home's dependency chain: ${failures} of its requests failed their check`);
}

// ---------------------------------------------------------------------------------------------
// The system

interface SystemView {
  get(name: ServiceName): RunningService;
}

function viewOf(system: RunningSystem): SystemView {
  return {
    get(name) {
      const service = system.services.find((s) => s.name === name);
      if (!service) throw new Error(`${name} is not running`);
      return service;
    },
  };
}

async function tokenFor(identity: RunningService, sub: string): Promise<string> {
  const response = await fetch(`${identity.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub }),
  });
  if (!response.ok) throw new Error(`identity answered ${response.status} for a token`);
  return ((await response.json()) as { access_token: string }).access_token;
}

interface DependencyStatus {
  name: string;
  circuit: string;
}

async function circuitOf(bff: RunningService, dependency: Dependency): Promise<string> {
  const response = await fetch(`${bff.url}/health/dependencies`, { signal: AbortSignal.timeout(5_000) });
  const body = (await response.json()) as { dependencies?: DependencyStatus[] };
  return body.dependencies?.find((d) => d.name === dependency)?.circuit ?? 'unknown';
}

/**
 * Kills the recommendations service and sends requests one at a time until the BFF's breaker
 * opens (5 failures in a row by default; the retry of each failed GET counts too).
 */
async function openRecommendationsCircuit(system: SystemView, bff: RunningService, scenario: Scenario) {
  const recommendations = system.get('recommendations');
  const exited = new Promise((resolve) => recommendations.child.once('exit', resolve));
  recommendations.child.kill('SIGKILL');
  await exited;
  for (let sent = 1; sent <= 100; sent++) {
    await fetch(scenario.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...scenario.headers },
      body: scenario.body,
    }).then((response) => response.arrayBuffer());
    if ((await circuitOf(bff, 'recommendations')) === 'open') return sent;
  }
  throw new Error('the recommendations circuit did not open after 100 requests');
}

/**
 * Starts the system with every core available to it: children inherit this process's affinity,
 * and main.ts pinned it to the load generator's cores.
 */
async function launch(options: BffBenchOptions, onLine: (service: ServiceName, line: string) => void) {
  if (options.systemCpus) pinSelf(options.systemCpus);
  try {
    return await launchSystem({
      ports: 'free',
      // The built JS (`npm run bench` builds first), as deployed.
      built: true,
      env: BENCH_SYSTEM_ENV,
      onLine,
    });
  } finally {
    if (options.loadCpus) pinSelf(options.loadCpus);
  }
}

// ---------------------------------------------------------------------------------------------

export async function runBffBench(options: BffBenchOptions): Promise<BffBenchResult> {
  const { log } = options;
  // Services log a line per request: kept out of the report, the last ones kept for a failure.
  const tail: string[] = [];
  const onLine = (service: ServiceName, line: string) => {
    tail.push(`${service} | ${line}`);
    if (tail.length > 60) tail.shift();
  };
  const loadBefore = loadavg()[0] ?? Number.NaN;
  log('starting the system (11 services)');
  const system = await launch(options, onLine);
  try {
    const result = await measureAll(viewOf(system), options);
    return { ...result, loadAverage: { before: loadBefore, after: loadavg()[0] ?? Number.NaN } };
  } catch (error) {
    process.stderr.write(`${tail.join('\n')}\n`);
    throw error;
  } finally {
    log('stopping the system');
    await system.stop();
  }
}

async function measureAll(system: SystemView, options: BffBenchOptions): Promise<Omit<BffBenchResult, 'loadAverage'>> {
  const token = await tokenFor(system.get('identity'), '1');
  const auth = { authorization: `Bearer ${token}` };
  const mobile = system.get('bff-mobile');
  const web = system.get('bff-web');

  const homeBody = JSON.stringify({ query: mobileHomeQuery(), operationName: 'HomeScreen' });
  const home = {
    name: 'mobile home',
    url: `${mobile.url}/graphql`,
    body: homeBody,
    chaos: HEALTHY_CHAOS,
    headers: { ...auth, 'x-chaos': HEALTHY_CHAOS },
    check: healthy(homeWithPicks),
  };
  const dashboard = {
    name: 'web dashboard',
    url: `${web.url}/graphql`,
    body: JSON.stringify({ query: webDashboardQuery() }),
    chaos: HEALTHY_CHAOS,
    headers: { ...auth, 'x-chaos': HEALTHY_CHAOS },
    check: healthy(dashboardComplete),
  };
  const degradedHome = {
    ...home,
    name: 'mobile home, recommendations down',
    chaos: DEGRADED_CHAOS,
    headers: { ...auth, 'x-chaos': DEGRADED_CHAOS },
    check: degradedByRecommendations(homeSignedIn),
  };

  // The order keeps what is compared side by side in time (the chain, healthy home, degraded
  // home): on a shared machine the background load drifts between measurements.
  await warmUp(dashboard, options);
  const webDashboard = await measureBff(dashboard, web, system, options);

  // Home and its slowest dependency chain, in turns. The chain's requests are the ones a home
  // answer shows home made: its products priced in one call, the user's picks, the screen query.
  await warmUp(home, options);
  const legs = homeChainLegs(system, auth, await probe(home));
  await checkChain(legs);
  const { screen, chain: homeChain } = await screenAndChain(home, legs, options);
  const mobileHome = await measureBff(home, mobile, system, options, screen);

  // Recommendations dead, its circuit open. The warm-ups left last-good picks, so the screen
  // may be served STALE picks rather than none; either is a degraded answer naming recommendations.
  const requestsToOpen = await openRecommendationsCircuit(system, mobile, degradedHome);
  options.log(`recommendations circuit open after ${requestsToOpen} requests`);
  const sample = await probe(degradedHome);
  const degraded = await measureBff(degradedHome, mobile, system, options);
  const degradedResult: DegradedResult = {
    ...degraded,
    requestsToOpen,
    circuitAfter: await circuitOf(mobile, 'recommendations'),
    sampleDegraded: sample.extensions?.degraded ?? [],
  };

  return {
    connections: options.connections,
    sliceSeconds: options.sliceSeconds,
    warmupSeconds: options.warmupSeconds,
    restLatencyMs: REST_LATENCY_MS,
    homeChain,
    mobileHome,
    webDashboard,
    degradedHome: degradedResult,
    targets: targetsOf(homeChain, mobileHome, degradedResult),
  };
}

function targetsOf(chain: ChainStats, home: ScenarioResult, degraded: ScenarioResult): BffBenchResult['targets'] {
  const gapMs = home.p50 - chain.p50;
  const p50Ratio = degraded.p50 / home.p50;
  return {
    overChain: { gapMs, limitMs: 5, p50: home.p50, chainP50: chain.p50, pass: gapMs <= 5 },
    serialSumMs: Object.values(chain.legs).reduce((total, leg) => total + leg.p50, 0),
    degraded: { p50Ratio, p99Ratio: degraded.p99 / home.p99, pass: p50Ratio <= 1 },
  };
}
