import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GATEWAY_NODE_OPTIONS } from '../../scripts/system.js';
import { startIdentity } from './identity.js';
import { percentile, runLoad } from './load.js';
import { freePort } from './net.js';
import { cpuSeconds, type Started } from './proc.js';
import { startSubgraphTier } from './subgraphTier.js';
import { startTarget, type Target } from './targets.js';
import { testQueryWorkload } from './workload.js';
import { hasWrk, runWrk } from './wrk.js';

export interface WorkersBenchOptions {
  /** Worker counts measured side by side (GATEWAY_WORKERS). */
  workers: readonly number[];
  sliceSeconds: number;
  /** Slices per worker count, interleaved. */
  rounds: number;
  warmupSeconds: number;
  connections: number;
  /** Cores every process shares: the gateways, the subgraphs and the load generator alike. */
  cpus: string;
  /** @default wrk where it is installed, autocannon otherwise */
  loadGenerator?: LoadGenerator;
  log: (line: string) => void;
}

/**
 * wrk (C) or autocannon (JavaScript). On cores the gateway shares, the load generator's own CPU
 * is taken from the workers: autocannon took about a third of a core for ~500 answers of 87.6 kB
 * a second here, wrk a few hundredths.
 */
export type LoadGenerator = 'wrk' | 'autocannon';

export interface WorkersResult {
  workers: number;
  /** Median over the slices: one noisy slice on a shared machine moves it least. */
  medianRps: number;
  slices: number[];
  /** Average cores the gateway's processes (primary and workers) used while loaded. */
  cpuCores: number;
  /** Answers per second per core the gateway used (mean RPS over `cpuCores`). */
  rpsPerGatewayCore: number;
  /** Average cores the rest used meanwhile: the load generator, the subgraphs, the identity service. */
  otherCores: number;
  /** Of `otherCores`, the subgraph tier's (absent from results kept before it was recorded). */
  subgraphCores?: number;
  /** Of `otherCores`, the load generator's (wrk, or autocannon in this process, and the answer checks). */
  loadGeneratorCores?: number;
  /** The median of the slices' p99 (results kept before wrk: the p99 of every answer). */
  p99: number;
  errors: number;
  mismatches: number;
}

export interface WorkersBenchResult {
  connections: number;
  sliceSeconds: number;
  rounds: number;
  cpus: string;
  /** Absent from results kept before wrk, which all used autocannon. */
  loadGenerator?: LoadGenerator;
  results: WorkersResult[];
  /** Median RPS of the most workers over that of the fewest. */
  scaling: number;
  /** RPS per gateway core of the most workers over that of the fewest: how well each core the workers got was used. */
  perCoreScaling: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The first worker answers /readyz while the others still start: wait for the primary's count. */
async function allListening(target: Target, workers: number): Promise<void> {
  const metricsUrl = target.graphqlUrl.replace(/\/graphql$/, '/metrics');
  const listening = new RegExp(`^edgeway_workers\\{[^}]*\\} ${workers}$`, 'm');
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const text = await fetch(metricsUrl).then(
      (response) => response.text(),
      () => '',
    );
    if (listening.test(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${target.spec.label}: not every worker listened within 120 s`);
}

/**
 * Edgeway's gateway with 1 and 2 workers (`GATEWAY_WORKERS`) on the same cores, over the
 * federation benchmark's subgraphs and `TestQuery` (response cache off, as in the gateway
 * benchmark), measured in interleaved slices. Nothing is pinned apart: the subgraphs and the load
 * generator take their share of the same cores, as they would beside a gateway on one machine,
 * so the scaling measured is a floor for a gateway with cores of its own.
 */
export async function runWorkersBench(options: WorkersBenchOptions): Promise<WorkersBenchResult> {
  const { log } = options;
  const started: Started[] = [];
  const work = join(tmpdir(), `edgeway-workers-bench-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    const identity = await startIdentity({ port: await freePort(), keysDir: join(work, 'keys'), cpus: options.cpus });
    started.push(identity.process);
    const workload = testQueryWorkload(await identity.mint('1', 3600));
    const [request] = workload.requests;
    if (!request) throw new Error('the TestQuery workload has no request');

    const tier = await startSubgraphTier({ work, cpus: options.cpus });
    started.push(tier.process);
    const { supergraphPath } = tier;

    const targets: Array<{ workers: number; target: Target }> = [];
    for (const workers of options.workers) {
      const label = `edgeway x${workers}`;
      log(`starting ${label}`);
      const target = await startTarget(
        {
          label,
          kind: 'edgeway',
          description: `Edgeway as deployed, GATEWAY_WORKERS=${workers}`,
          nodeOptions: GATEWAY_NODE_OPTIONS,
          env: { RESPONSE_CACHE_ENABLED: 'false', GATEWAY_WORKERS: String(workers) },
        },
        {
          port: await freePort(),
          supergraphPath,
          jwksUrl: identity.jwksUrl,
          issuer: identity.issuer,
          cpus: options.cpus,
        },
      );
      started.push(target.process);
      if (workers > 1) await allListening(target, workers);
      targets.push({ workers, target });
    }

    const generator = options.loadGenerator ?? (hasWrk ? 'wrk' : 'autocannon');
    if (generator === 'autocannon')
      log(
        'wrk is not installed (apt-get install wrk): autocannon generates the load, on the same cores as the workers',
      );
    /** One slice of load: what it served, and the load generator's CPU seconds outside this process. */
    const load = async (target: Target, seconds: number) => {
      const common = { url: target.graphqlUrl, connections: options.connections, seconds };
      if (generator === 'wrk') {
        const slice = await runWrk({
          ...common,
          body: request.body,
          headers: request.headers,
          expected: request.expected,
        });
        if (slice.firstWrong !== undefined)
          log(`${target.spec.label}: a wrong answer: ${slice.firstWrong.slice(0, 300)}`);
        return { ...slice, generatorCpu: slice.cpuSeconds };
      }
      const slice = await runLoad({ ...common, requests: workload.requests });
      return {
        ...slice,
        p99: percentile(
          slice.latencies.sort((a, b) => a - b),
          99,
        ),
        generatorCpu: 0,
      };
    };

    for (const { target } of targets) {
      // One request first, so a refusal reads as what it is rather than as a count of non-200s.
      const first = await fetch(target.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...request.headers },
        body: request.body,
      });
      if (!first.ok)
        throw new Error(`${target.spec.label} answered ${first.status}: ${(await first.text()).slice(0, 300)}`);
      await first.arrayBuffer().catch(() => undefined);
      log(`warming up ${target.spec.label} (${options.warmupSeconds} s)`);
      const warm = await load(target, options.warmupSeconds);
      if (warm.requests === 0 || warm.mismatches > 0 || warm.non2xx > 0) {
        throw new Error(
          `${target.spec.label} does not answer TestQuery correctly (${warm.mismatches} wrong, ${warm.non2xx} non-200)`,
        );
      }
    }

    const measured = new Map<
      number,
      {
        rps: number[];
        p99: number[];
        cpu: number;
        other: number;
        tier: number;
        loadGenerator: number;
        wall: number;
        errors: number;
        mismatches: number;
      }
    >();
    for (let round = 0; round < options.rounds; round++) {
      const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
      for (const { workers, target } of order) {
        const cpuBefore = cpuSeconds(target.process.pid);
        // The rest: the subgraphs, the identity service and this process (wrk's CPU comes with its slice).
        const others = () => ({
          tier: cpuSeconds(tier.process.pid),
          identity: cpuSeconds(identity.process.pid),
          own: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
        });
        const othersBefore = others();
        const wallStart = performance.now();
        const slice = await load(target, options.sliceSeconds);
        const wall = (performance.now() - wallStart) / 1000;
        const cpu = cpuSeconds(target.process.pid) - cpuBefore;
        const othersAfter = others();
        const tierCpu = othersAfter.tier - othersBefore.tier;
        const generatorCpu = othersAfter.own - othersBefore.own + slice.generatorCpu;
        const other = tierCpu + generatorCpu + othersAfter.identity - othersBefore.identity;
        const entry = measured.get(workers) ?? {
          rps: [],
          p99: [],
          cpu: 0,
          other: 0,
          tier: 0,
          loadGenerator: 0,
          wall: 0,
          errors: 0,
          mismatches: 0,
        };
        entry.rps.push(slice.requests / slice.seconds);
        entry.p99.push(slice.p99);
        entry.cpu += cpu;
        entry.other += other;
        entry.tier += tierCpu;
        entry.loadGenerator += generatorCpu;
        entry.wall += wall;
        entry.errors += slice.errors + slice.non2xx;
        entry.mismatches += slice.mismatches;
        measured.set(workers, entry);
        log(
          `round ${round + 1}/${options.rounds} ${target.spec.label.padEnd(12)} ${(slice.requests / slice.seconds).toFixed(1).padStart(8)} rps  cpu ${(cpu / wall).toFixed(2)}`,
        );
      }
    }

    const results = options.workers.map((workers): WorkersResult => {
      const entry = measured.get(workers)!;
      return {
        workers,
        medianRps: median(entry.rps),
        slices: entry.rps,
        cpuCores: entry.cpu / entry.wall,
        rpsPerGatewayCore: entry.rps.reduce((a, b) => a + b, 0) / entry.rps.length / (entry.cpu / entry.wall),
        otherCores: entry.other / entry.wall,
        subgraphCores: entry.tier / entry.wall,
        loadGeneratorCores: entry.loadGenerator / entry.wall,
        p99: median(entry.p99),
        errors: entry.errors,
        mismatches: entry.mismatches,
      };
    });
    const fewest = results[0]!;
    const most = results[results.length - 1]!;
    return {
      connections: options.connections,
      sliceSeconds: options.sliceSeconds,
      rounds: options.rounds,
      cpus: options.cpus,
      loadGenerator: generator,
      results,
      scaling: most.medianRps / fewest.medianRps,
      perCoreScaling: most.rpsPerGatewayCore / fewest.rpsPerGatewayCore,
    };
  } finally {
    await Promise.all(started.reverse().map((p) => p.stop()));
    rmSync(work, { recursive: true, force: true });
  }
}

/** The worker-mode benchmark's report, as printed and as kept in docs/benchmarks/latest.md. */
export function formatWorkersReport(result: WorkersBenchResult): string {
  const rows = result.results.map(
    (r) =>
      `  ${String(r.workers).padStart(7)}  ${r.medianRps.toFixed(1).padStart(10)}  ${r.cpuCores.toFixed(2).padStart(11)}  ${r.rpsPerGatewayCore.toFixed(1).padStart(12)}  ${r.otherCores.toFixed(2).padStart(10)}  ${`${r.p99.toFixed(0)} ms`.padStart(8)}  ${String(r.errors).padStart(6)}  ${String(r.mismatches).padStart(5)}  ${r.slices.map((s) => s.toFixed(0)).join(' ')}`,
  );
  const [fewest, most] = [result.results[0], result.results[result.results.length - 1]];
  return [
    `\nWorker mode: TestQuery, ${result.connections} connections, ${result.rounds} interleaved slices of ${result.sliceSeconds} s, every process on cores ${result.cpus}, load from ${result.loadGenerator ?? 'autocannon'}\n`,
    '  workers  median rps  gateway cpu  rps per core  others cpu       p99  errors  wrong  slices (rps)',
    ...rows,
    `\n${most?.workers} workers / ${fewest?.workers} worker: ${result.scaling.toFixed(2)}x median rps (target 1.7x); ${result.perCoreScaling.toFixed(2)}x rps per core the gateway used`,
    `  gateway cpu: the primary and its workers (V8's GC threads let one worker use more than one core); others cpu: the load generator, the subgraphs and the identity service, on the same cores`,
    // Results kept before the split was recorded have no such line.
    ...(result.results.every((r) => r.loadGeneratorCores !== undefined)
      ? [
          `  of which the load generator ${result.results.map((r) => (r.loadGeneratorCores ?? 0).toFixed(2)).join(' and ')}, ` +
            `the subgraphs ${result.results.map((r) => (r.subgraphCores ?? 0).toFixed(2)).join(' and ')} ` +
            `(${result.results.map((r) => `${r.workers} worker${r.workers > 1 ? 's' : ''}`).join(' and ')})`,
        ]
      : []),
    '',
  ].join('\n');
}

export function printWorkersReport(result: WorkersBenchResult): void {
  process.stdout.write(formatWorkersReport(result));
}
