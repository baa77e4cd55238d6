import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeBenchSupergraph } from '../subgraphs/supergraph.js';
import { percentile, runLoad, type Slice } from './load.js';
import { measureSlice, type RoundResult } from './measure.js';
import { freePort } from './net.js';
import { peakRss, type Started, startProcess } from './proc.js';
import {
  measureSubgraphCeiling,
  steadyWindow,
  subgraphBodies,
  type SubgraphBodies,
  type SubgraphCeiling,
} from './subgraphTier.js';
import { ROOT, startTarget, type Target, type TargetName, targetSpec, type TargetSpec } from './targets.js';
import { testQueryWorkload, variedWorkload, type Workload, type WorkloadName } from './workload.js';

export interface GatewayBenchOptions {
  targets: readonly TargetName[];
  workloads: readonly WorkloadName[];
  /** NODE_OPTIONS for every gateway but `edgeway-deployed` ('' = Node's defaults). */
  equalNodeOptions: string;
  /** Seconds per measured slice. */
  sliceSeconds: number;
  /** Slices per target and workload, interleaved round-robin. */
  rounds: number;
  warmupSeconds: number;
  connections: number;
  /** Cores for the gateways, and for the load generator and subgraphs. */
  gatewayCpus: string;
  loadCpus: string;
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
  description: string;
  node: string;
  nodeOptions: string;
  rps: number;
  /** Answers per second of gateway CPU (all processes and threads): what one fully used core serves. */
  rpsPerCore: number;
  /** Average cores the gateway's processes used while loaded. */
  cpuCores: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  mismatches: number;
  /** The highest peak RSS of its measured slices. */
  peakRssBytes: number;
  /** Peak RSS from start to the end of the warm-ups. */
  peakRssAfterWarmupBytes: number;
  subgraphRequestsPerOperation: number;
  /** Average cores of the harness process (the load generator) and busy share of the load cores. */
  loadGeneratorCores: number;
  loadCoresBusy: number;
  gatewayCoresBusy: number;
  rounds: RoundResult[];
}

export interface WorkloadResult {
  name: WorkloadName;
  description: string;
  targets: TargetResult[];
}

export interface GatewayBenchResult {
  connections: number;
  sliceSeconds: number;
  rounds: number;
  warmupSeconds: number;
  equalNodeOptions: string;
  gatewayCpus: string;
  loadCpus: string;
  /** TestQuery's answer, in bytes. */
  answerBytes: number;
  workloads: WorkloadResult[];
  /** Operations per second the subgraph tier alone could serve (TestQuery, as vanilla sends it). */
  subgraphCeiling?: SubgraphCeiling;
}

interface Tally {
  slices: Slice[];
  rounds: RoundResult[];
  cpu: number;
  wall: number;
  subgraphRequests: number;
  answers: number;
}

function specs(options: GatewayBenchOptions): TargetSpec[] {
  const list = options.targets.map((name) => targetSpec(name, options.equalNodeOptions));
  for (const variant of options.variants ?? []) {
    const base = targetSpec('edgeway', options.equalNodeOptions);
    list.push({
      ...base,
      label: `edgeway:${variant.label}`,
      description: `${base.description}, ${variant.flags.join(' ')}`,
    });
  }
  return list;
}

export async function runGatewayBench(options: GatewayBenchOptions): Promise<GatewayBenchResult> {
  const { log } = options;
  const started: Started[] = [];
  const work = join(tmpdir(), `edgeway-bench-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    // The identity service (tokens for Edgeway to verify) and the subgraph tier share the load cores.
    const identityPort = await freePort();
    const identityUrl = `http://127.0.0.1:${identityPort}`;
    const issuer = 'edgeway-bench';
    started.push(
      await startProcess({
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
        readyUrl: `${identityUrl}/healthz`,
      }),
    );
    const mint = async (sub: string, expiresIn = 3600) => {
      const answer = await fetch(`${identityUrl}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sub, expiresIn }),
      });
      return ((await answer.json()) as { access_token: string }).access_token;
    };

    const subgraphPort = await freePort();
    const subgraphUrl = `http://127.0.0.1:${subgraphPort}`;
    const cached = options.targets.includes('edgeway+cache');
    started.push(
      await startProcess({
        name: 'subgraphs',
        command: 'node',
        args: ['--import', 'tsx', 'subgraphs/main.ts'],
        cwd: `${ROOT}/bench`,
        cpus: options.loadCpus,
        // With the cached gateway in the run, answers say `Cache-Control: max-age=60, public`.
        env: { PORT: String(subgraphPort), ...(cached ? { CACHE_MAX_AGE_S: '60' } : {}) },
        readyUrl: `${subgraphUrl}/health`,
      }),
    );
    const supergraphPath = join(work, 'supergraph.graphql');
    writeFileSync(supergraphPath, composeBenchSupergraph(subgraphUrl));

    const targets: Target[] = [];
    for (const spec of specs(options)) {
      log(`starting ${spec.label}`);
      const variantFlags = spec.label.startsWith('edgeway')
        ? (options.variants?.find((v) => `edgeway:${v.label}` === spec.label)?.flags ?? [])
        : [];
      const target = await startTarget(spec, {
        port: await freePort(),
        supergraphPath,
        jwksUrl: `${identityUrl}/.well-known/jwks.json`,
        issuer,
        cpus: options.gatewayCpus,
        ...(spec.kind === 'edgeway' ? { env: options.edgewayEnv ?? {} } : {}),
        nodeArgs: [
          ...(spec.kind === 'edgeway' ? [...(options.edgewayFlags ?? []), ...variantFlags] : []),
          // One folder per gateway: every thread (the module-hooks thread too) writes its own profile.
          ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(options.profileDir, spec.label)}`] : []),
        ],
      });
      started.push(target.process);
      targets.push(target);
    }

    const workloads: Workload[] = [];
    for (const name of options.workloads) {
      workloads.push(name === 'testquery' ? testQueryWorkload(await mint('1')) : await variedWorkload(mint));
    }
    const load = (target: Target, workload: Workload, seconds: number, live?: { answers: number }) =>
      runLoad({
        ...(live ? { live } : {}),
        url: target.graphqlUrl,
        requests: workload.requests,
        connections: options.connections,
        seconds,
        onWrong: (request, status, answer) =>
          log(`${target.spec.label} answered ${request.operation} wrong (${status}): ${answer.slice(0, 400)}`),
      });

    // Warm-up: every gateway, every workload; a gateway that answers wrong stops the run.
    let testQueryBodies: SubgraphBodies = {};
    for (const workload of workloads) {
      for (const target of targets) {
        log(`warming up ${target.spec.label} on ${workload.name} (${options.warmupSeconds} s)`);
        const warm = await load(target, workload, options.warmupSeconds);
        if (warm.requests === 0 || warm.mismatches > 0 || warm.non2xx > 0 || warm.errors > 0) {
          throw new Error(
            `${target.spec.label} does not answer ${workload.name} correctly (${warm.mismatches} wrong, ` +
              `${warm.non2xx} non-200, ${warm.errors} errors of ${warm.requests})`,
          );
        }
      }
      if (workload.name === 'testquery') testQueryBodies = await subgraphBodies(subgraphUrl);
    }
    const afterWarmup = new Map(targets.map((t) => [t.spec.label, peakRss(t.process.pid)]));

    const tallies = new Map<string, Tally>();
    for (let round = 0; round < options.rounds; round++) {
      for (const workload of workloads) {
        // Rotate the order each round, so no gateway always follows the same one.
        const order = targets.map((_, i) => targets[(i + round) % targets.length] as Target);
        for (const target of order) {
          // Subgraph requests per operation are read in the steady middle of the slice (answers and
          // subgraph requests counted over the same window), not across its ramp-up and tail.
          const live = { answers: 0 };
          const window = steadyWindow(subgraphUrl, live, options.sliceSeconds);
          const measured = await measureSlice(
            target.process.pid,
            { gateway: options.gatewayCpus, load: options.loadCpus },
            () => load(target, workload, options.sliceSeconds, live),
          );
          const { subgraphRequests, answers } = await window;
          const key = `${workload.name}\n${target.spec.label}`;
          const tally = tallies.get(key) ?? {
            slices: [],
            rounds: [],
            cpu: 0,
            wall: 0,
            subgraphRequests: 0,
            answers: 0,
          };
          tally.slices.push(measured.slice);
          tally.rounds.push(measured.round);
          tally.cpu += measured.cpuSeconds;
          tally.wall += measured.wallSeconds;
          tally.subgraphRequests += subgraphRequests;
          tally.answers += answers;
          tallies.set(key, tally);
          const r = measured.round;
          log(
            `round ${round + 1}/${options.rounds} ${workload.name.padEnd(9)} ${target.spec.label.padEnd(16)} ` +
              `${r.rps.toFixed(1).padStart(7)} rps ${r.rpsPerCore.toFixed(1).padStart(7)} rps/core  cpu ${r.cpuCores.toFixed(2)}  ` +
              `load gen ${r.loadGeneratorCores.toFixed(2)}  wrong ${measured.slice.mismatches}`,
          );
        }
      }
    }

    const results: WorkloadResult[] = workloads.map((workload) => ({
      name: workload.name,
      description: workload.description,
      targets: targets.map((target) => {
        const tally = tallies.get(`${workload.name}\n${target.spec.label}`);
        if (!tally) throw new Error(`no slices for ${target.spec.label} on ${workload.name}`);
        return summarise(target, tally, afterWarmup.get(target.spec.label) ?? 0);
      }),
    }));

    const vanilla = results.find((w) => w.name === 'testquery')?.targets.find((t) => t.target === 'vanilla');
    const ceiling = vanilla
      ? await measureSubgraphCeiling(subgraphUrl, testQueryBodies, vanilla.subgraphRequestsPerOperation, options)
      : undefined;
    const testQuery = testQueryWorkload('').requests[0];
    return {
      connections: options.connections,
      sliceSeconds: options.sliceSeconds,
      rounds: options.rounds,
      warmupSeconds: options.warmupSeconds,
      equalNodeOptions: options.equalNodeOptions,
      gatewayCpus: options.gatewayCpus,
      loadCpus: options.loadCpus,
      answerBytes: `{"data":${testQuery?.expected ?? ''}}`.length,
      workloads: results,
      ...(ceiling ? { subgraphCeiling: ceiling } : {}),
    };
  } finally {
    await Promise.all(started.reverse().map((p) => p.stop()));
  }
}

function summarise(target: Target, tally: Tally, peakAfterWarmup: number): TargetResult {
  const sum = (pick: (s: Slice) => number) => tally.slices.reduce((total, s) => total + pick(s), 0);
  const mean = (pick: (r: RoundResult) => number) =>
    tally.rounds.reduce((t, r) => t + pick(r), 0) / tally.rounds.length;
  const requests = sum((s) => s.requests);
  const latencies = tally.slices.flatMap((s) => s.latencies).sort((a, b) => a - b);
  return {
    target: target.spec.label,
    description: target.spec.description,
    node: process.version,
    nodeOptions: target.spec.nodeOptions,
    rps: requests / sum((s) => s.seconds),
    rpsPerCore: requests / tally.cpu,
    cpuCores: tally.cpu / tally.wall,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    requests,
    errors: sum((s) => s.errors),
    non2xx: sum((s) => s.non2xx),
    mismatches: sum((s) => s.mismatches),
    peakRssBytes: Math.max(...tally.rounds.map((r) => r.peakRssBytes)),
    peakRssAfterWarmupBytes: peakAfterWarmup,
    subgraphRequestsPerOperation: tally.answers > 0 ? tally.subgraphRequests / tally.answers : 0,
    loadGeneratorCores: mean((r) => r.loadGeneratorCores),
    loadCoresBusy: mean((r) => r.loadCoresBusy),
    gatewayCoresBusy: mean((r) => r.gatewayCoresBusy),
    rounds: tally.rounds,
  };
}
