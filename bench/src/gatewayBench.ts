import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectedTestQueryData } from '../subgraphs/expected.js';
import { TEST_QUERY } from '../subgraphs/query.js';
import { composeBenchSupergraph } from '../subgraphs/supergraph.js';
import { dataVerifier, percentile, runLoad, type Slice } from './load.js';
import { freePort } from './net.js';
import { cpuSeconds, peakRss, type Started, startProcess } from './proc.js';
import { ROOT, startTarget, type Target, type TargetName } from './targets.js';

export interface GatewayBenchOptions {
  targets: readonly TargetName[];
  /** Seconds per measured slice. */
  sliceSeconds: number;
  /** Slices per target, interleaved round-robin. */
  rounds: number;
  warmupSeconds: number;
  connections: number;
  /** Cores for the gateways, and for the load generator and subgraphs. */
  gatewayCpus: string;
  loadCpus: string;
  /** Also measure Edgeway with its response cache on. */
  cached: boolean;
  /** More Edgeway gateways with other node flags, measured in the same run (experiments). */
  variants?: Array<{ label: string; flags: string[] }>;
  /** Extra node flags for Edgeway (experiments). */
  edgewayFlags?: string[];
  /** Extra environment for Edgeway (experiments). */
  edgewayEnv?: Record<string, string>;
  /** Where gateways write V8 CPU profiles (`--cpu-prof`), when set. */
  profileDir?: string | undefined;
  log: (line: string) => void;
}

export interface TargetResult {
  target: string;
  rps: number;
  /**
   * Requests per second of gateway CPU: what one fully used gateway core serves. Equal to RPS for
   * a gateway that saturates its core; for one that does not (the cached path, where the load
   * generator runs out of CPU first) it is what its core could serve.
   */
  rpsPerCore: number;
  /** Average cores the gateway's processes used while loaded. */
  cpuCores: number;
  /** Cores the gateway was pinned to. */
  pinnedCores: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  mismatches: number;
  peakRssBytes: number;
  subgraphRequestsPerOperation: number;
  slices: number[];
}

export interface GatewayBenchResult {
  connections: number;
  sliceSeconds: number;
  rounds: number;
  answerBytes: number;
  targets: TargetResult[];
  /** Operations per second the subgraph tier alone could serve (its requests per operation as vanilla sends them). */
  subgraphCeiling?: { requestsPerSecond: number; operationsPerSecond: number; requestsPerOperation: number };
}

async function subgraphStats(url: string): Promise<{ total: number; bodies: Record<string, string[]> }> {
  const stats = (await (await fetch(`${url}/stats`)).json()) as {
    requests: Record<string, number>;
    bodies?: Record<string, string[]>;
  };
  return { total: Object.values(stats.requests).reduce((a, b) => a + b, 0), bodies: stats.bodies ?? {} };
}

export async function runGatewayBench(options: GatewayBenchOptions): Promise<GatewayBenchResult> {
  const { log } = options;
  const started: Started[] = [];
  const work = join(tmpdir(), `edgeway-bench-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    // The identity service (tokens for Edgeway to verify) and the subgraph tier share the load core.
    const identityPort = await freePort();
    const issuer = 'edgeway-bench';
    const identity = await startProcess({
      name: 'identity',
      command: 'node',
      args: ['dist/main.js'],
      cwd: `${ROOT}/services/identity`,
      cpus: options.loadCpus,
      env: {
        PORT: String(identityPort),
        LOG_LEVEL: 'warn',
        JWT_ISSUER: issuer,
        IDENTITY_KEYS_DIR: join(work, 'keys'),
        OTEL_SDK_DISABLED: 'true',
      },
      readyUrl: `http://127.0.0.1:${identityPort}/healthz`,
    });
    started.push(identity);
    const tokenAnswer = await fetch(`http://127.0.0.1:${identityPort}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: '1' }),
    });
    const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };

    const subgraphPort = await freePort();
    const subgraphUrl = `http://127.0.0.1:${subgraphPort}`;
    const subgraphs = await startProcess({
      name: 'subgraphs',
      command: 'node',
      args: ['--import', 'tsx', 'subgraphs/main.ts'],
      cwd: `${ROOT}/bench`,
      cpus: options.loadCpus,
      env: { PORT: String(subgraphPort), ...(options.cached ? { CACHE_MAX_AGE_S: '60' } : {}) },
      readyUrl: `${subgraphUrl}/health`,
    });
    started.push(subgraphs);
    const supergraphPath = join(work, 'supergraph.graphql');
    writeFileSync(supergraphPath, composeBenchSupergraph(subgraphUrl));

    // The headline runs with Edgeway's response cache off; the cached path is measured on its own.
    const variants: Array<{ name: TargetName; label: string; env?: Record<string, string>; flags?: string[] }> =
      options.targets.map((name) =>
        name === 'edgeway' ? { name, label: name, env: { RESPONSE_CACHE_ENABLED: 'false' } } : { name, label: name },
      );
    for (const variant of options.variants ?? []) {
      variants.push({
        name: 'edgeway',
        label: `edgeway:${variant.label}`,
        env: { RESPONSE_CACHE_ENABLED: 'false', ...options.edgewayEnv },
        flags: [...(options.edgewayFlags ?? []), ...variant.flags],
      });
    }
    if (options.cached && options.targets.includes('edgeway')) {
      variants.push({
        name: 'edgeway',
        label: 'edgeway+cache',
        env: { ...options.edgewayEnv, RESPONSE_CACHE_ENABLED: 'true' },
        flags: options.edgewayFlags ?? [],
      });
    }
    const targets: Target[] = [];
    for (const variant of variants) {
      log(`starting ${variant.label}`);
      const target = await startTarget(
        variant.name,
        {
          port: await freePort(),
          supergraphPath,
          jwksUrl: `http://127.0.0.1:${identityPort}/.well-known/jwks.json`,
          issuer,
          cpus: options.gatewayCpus,
          ...(variant.env ? { env: variant.env } : {}),
          nodeArgs: [
            ...(variant.flags ?? []),
            // One folder per gateway: every thread (the module-hooks thread too) writes its own profile.
            ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(options.profileDir, variant.label)}`] : []),
          ],
        },
        variant.label,
      );
      started.push(target.process);
      targets.push(target);
    }

    const expected = expectedTestQueryData();
    const body = JSON.stringify({ query: TEST_QUERY, operationName: 'TestQuery' });
    const answerBytes = JSON.stringify({ data: expected }).length;
    const load = (target: Target, seconds: number, live?: { answers: number }) =>
      runLoad({
        ...(live ? { live } : {}),
        url: target.graphqlUrl,
        body,
        headers: { authorization: `Bearer ${token}` },
        connections: options.connections,
        seconds,
        verify: dataVerifier(expected),
      });

    for (const target of targets) {
      log(`warming up ${target.label} (${options.warmupSeconds} s)`);
      const warm = await load(target, options.warmupSeconds);
      if (warm.requests === 0 || warm.mismatches > 0 || warm.non2xx > 0) {
        throw new Error(
          `${target.label} does not answer TestQuery correctly (${warm.mismatches} wrong, ${warm.non2xx} non-200 of ${warm.requests})`,
        );
      }
    }

    const perTarget = new Map<
      string,
      { slices: Slice[]; cpu: number; wall: number; subgraphRequests: number; answers: number }
    >();
    for (let round = 0; round < options.rounds; round++) {
      // Rotate the order each round, so no gateway always follows the same one.
      const order = targets.map((_, i) => targets[(i + round) % targets.length] as Target);
      for (const target of order) {
        const cpuBefore = cpuSeconds(target.process.pid);
        const wallStart = performance.now();
        // Subgraph requests per operation are read in the steady middle of the slice (answers and
        // subgraph requests counted over the same window), not across its ramp-up and tail.
        const live = { answers: 0 };
        const window = steadyWindow(subgraphUrl, live, options.sliceSeconds);
        const slice = await load(target, options.sliceSeconds, live);
        const wall = (performance.now() - wallStart) / 1000;
        const cpu = cpuSeconds(target.process.pid) - cpuBefore;
        const { subgraphRequests, answers } = await window;
        const entry = perTarget.get(target.label) ?? { slices: [], cpu: 0, wall: 0, subgraphRequests: 0, answers: 0 };
        entry.slices.push(slice);
        entry.cpu += cpu;
        entry.wall += wall;
        entry.subgraphRequests += subgraphRequests;
        entry.answers += answers;
        perTarget.set(target.label, entry);
        log(
          `round ${round + 1}/${options.rounds} ${target.label.padEnd(14)} ${(slice.requests / slice.seconds).toFixed(1).padStart(8)} rps  cpu ${(cpu / wall).toFixed(2)}`,
        );
      }
    }

    const results: TargetResult[] = targets.map((target) => {
      const entry = perTarget.get(target.label);
      if (!entry) throw new Error(`no slices for ${target.label}`);
      const requests = entry.slices.reduce((sum, s) => sum + s.requests, 0);
      const seconds = entry.slices.reduce((sum, s) => sum + s.seconds, 0);
      const latencies = entry.slices.flatMap((s) => s.latencies).sort((a, b) => a - b);
      const rps = requests / seconds;
      return {
        target: target.label,
        rps,
        rpsPerCore: requests / entry.cpu,
        cpuCores: entry.cpu / entry.wall,
        pinnedCores: pinnedCores(options.gatewayCpus),
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        requests,
        errors: entry.slices.reduce((sum, s) => sum + s.errors, 0),
        non2xx: entry.slices.reduce((sum, s) => sum + s.non2xx, 0),
        mismatches: entry.slices.reduce((sum, s) => sum + s.mismatches, 0),
        peakRssBytes: peakRss(target.process.pid),
        subgraphRequestsPerOperation: entry.subgraphRequests / entry.answers,
        slices: entry.slices.map((s) => s.requests / s.seconds),
      };
    });

    const vanilla = results.find((r) => r.target === 'vanilla');
    const ceiling = vanilla ? await measureSubgraphCeiling(subgraphUrl, vanilla, options) : undefined;
    return {
      connections: options.connections,
      sliceSeconds: options.sliceSeconds,
      rounds: options.rounds,
      answerBytes,
      targets: results,
      ...(ceiling ? { subgraphCeiling: ceiling } : {}),
    };
  } finally {
    await Promise.all(started.reverse().map((p) => p.stop()));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Subgraph requests and gateway answers counted between 20% and 90% of a slice. */
async function steadyWindow(
  subgraphUrl: string,
  live: { answers: number },
  seconds: number,
): Promise<{ subgraphRequests: number; answers: number }> {
  await sleep(seconds * 200);
  const [before, answersBefore] = [(await subgraphStats(subgraphUrl)).total, live.answers];
  await sleep(seconds * 700);
  const [after, answersAfter] = [(await subgraphStats(subgraphUrl)).total, live.answers];
  return { subgraphRequests: after - before, answers: answersAfter - answersBefore };
}

function pinnedCores(cpus: string): number {
  return cpus.split(',').reduce((sum, part) => {
    const [from, to] = part.split('-').map(Number);
    return sum + (to === undefined ? 1 : (to ?? 0) - (from ?? 0) + 1);
  }, 0);
}

/**
 * The subgraph tier alone: the distinct subgraph requests one TestQuery makes (as the planner sent
 * them during the run), replayed straight at the subgraphs with the same connections. Operations
 * per second = subgraph requests per second / requests per operation without deduplication.
 */
async function measureSubgraphCeiling(
  subgraphUrl: string,
  vanilla: TargetResult,
  options: GatewayBenchOptions,
): Promise<GatewayBenchResult['subgraphCeiling']> {
  const { bodies } = await subgraphStats(subgraphUrl);
  const requests = Object.entries(bodies).flatMap(([name, list]) => list.map((body) => ({ path: `/${name}`, body })));
  if (requests.length === 0) return undefined;
  let total = 0;
  let seconds = 0;
  for (const request of requests) {
    const slice = await runLoad({
      url: `${subgraphUrl}${request.path}`,
      body: request.body,
      connections: options.connections,
      seconds: Math.max(2, Math.round(options.sliceSeconds / requests.length)),
      verify: (text) => text.startsWith('{"data"'),
    });
    total += slice.requests;
    seconds += slice.seconds;
  }
  const requestsPerSecond = total / seconds;
  return {
    requestsPerSecond,
    requestsPerOperation: vanilla.subgraphRequestsPerOperation,
    operationsPerSecond: requestsPerSecond / vanilla.subgraphRequestsPerOperation,
  };
}
