import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from './load.js';
import { measureSlice } from './measure.js';
import { startIdentity } from './identity.js';
import { freePort } from './net.js';
import { peakRss, type Started } from './proc.js';
import {
  measureSubgraphCeiling,
  startSubgraphTier,
  subgraphBodies,
  type SubgraphBodies,
  subgraphRequestTotal,
} from './subgraphTier.js';
import { startTarget, type Target, type TargetName, targetSpec, type TargetSpec } from './targets.js';
import { testQueryWorkload, variedWorkload, type Workload, type WorkloadName } from './workload.js';

import { type GatewayBenchResult, summarise, type Tally, type WorkloadResult } from './results.js';

export type { GatewayBenchResult, TargetResult, WorkloadResult } from './results.js';

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
    const identity = await startIdentity({
      port: await freePort(),
      keysDir: join(work, 'keys'),
      cpus: options.loadCpus,
    });
    started.push(identity.process);

    // With the cached gateway in the run, answers say `Cache-Control: max-age=60, public`.
    const tier = await startSubgraphTier({
      work,
      cpus: options.loadCpus,
      ...(options.targets.includes('edgeway+cache') ? { cacheMaxAgeS: 60 } : {}),
    });
    started.push(tier.process);
    const { url: subgraphUrl, supergraphPath } = tier;

    const targets: Target[] = [];
    for (const spec of specs(options)) {
      log(`starting ${spec.label}`);
      const variantFlags = spec.label.startsWith('edgeway')
        ? (options.variants?.find((v) => `edgeway:${v.label}` === spec.label)?.flags ?? [])
        : [];
      const target = await startTarget(spec, {
        port: await freePort(),
        supergraphPath,
        jwksUrl: identity.jwksUrl,
        issuer: identity.issuer,
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
      workloads.push(
        name === 'testquery' ? testQueryWorkload(await identity.mint('1', 3600)) : await variedWorkload(identity.mint),
      );
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

    // The tier lists every body it was sent since it started: TestQuery's are those new in a
    // TestQuery warm-up (the tier's, then the gateways').
    const testQueryBodies: SubgraphBodies = {};
    const addNewBodies = async (before: SubgraphBodies) => {
      for (const [name, list] of Object.entries(await subgraphBodies(subgraphUrl))) {
        const known = new Set([...(before[name] ?? []), ...(testQueryBodies[name] ?? [])]);
        testQueryBodies[name] = [...(testQueryBodies[name] ?? []), ...list.filter((body) => !known.has(body))];
      }
    };

    // The shared tier (subgraphs, identity, this load generator) warmed first, through a gateway
    // of its own that is not measured: otherwise the first gateway to warm up met a cold tier, its
    // slow answers kept that gateway's objects alive, and V8 tenured them for the rest of its run
    // (the first Edgeway process served a fifth less than identical ones; docs/performance.md).
    const warmer = await startTarget(
      { ...targetSpec('vanilla', options.equalNodeOptions), label: 'tier-warmup' },
      {
        port: await freePort(),
        supergraphPath,
        jwksUrl: identity.jwksUrl,
        issuer: identity.issuer,
        cpus: options.gatewayCpus,
      },
    );
    try {
      for (const workload of workloads) {
        log(
          `warming up the subgraph tier on ${workload.name} through an unmeasured gateway (${options.warmupSeconds} s)`,
        );
        const before = workload.name === 'testquery' ? await subgraphBodies(subgraphUrl) : undefined;
        await load(warmer, workload, options.warmupSeconds);
        if (before) await addNewBodies(before);
      }
    } finally {
      await warmer.process.stop();
    }

    // Warm-up: every gateway, every workload; a gateway that answers wrong stops the run.
    for (const workload of workloads) {
      const before = workload.name === 'testquery' ? await subgraphBodies(subgraphUrl) : undefined;
      for (const target of targets) {
        log(`warming up ${target.spec.label} on ${workload.name} (${options.warmupSeconds} s)`);
        let warm = await load(target, workload, options.warmupSeconds);
        // A cold gateway on a busy machine may not finish its first 50 answers in a short warm-up.
        for (let again = 0; again < 3 && warm.requests === 0; again++) {
          warm = await load(target, workload, options.warmupSeconds);
        }
        if (warm.requests === 0 || warm.mismatches > 0 || warm.non2xx > 0 || warm.errors > 0) {
          throw new Error(
            `${target.spec.label} does not answer ${workload.name} correctly (${warm.mismatches} wrong, ` +
              `${warm.non2xx} non-200, ${warm.errors} errors of ${warm.requests})`,
          );
        }
      }
      if (before) await addNewBodies(before);
    }
    const afterWarmup = new Map(targets.map((t) => [t.spec.label, peakRss(t.process.pid)]));

    const tallies = new Map<string, Tally>();
    for (let round = 0; round < options.rounds; round++) {
      for (const workload of workloads) {
        // Rotate the order each round, so no gateway always follows the same one.
        const order = targets.map((_, i) => targets[(i + round) % targets.length] as Target);
        for (const target of order) {
          const measured = await measureSlice({
            pid: target.process.pid,
            cpus: { gateway: options.gatewayCpus, load: options.loadCpus },
            seconds: options.sliceSeconds,
            run: (live) => load(target, workload, options.sliceSeconds, live),
            subgraphRequests: () => subgraphRequestTotal(subgraphUrl),
          });
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
          tally.subgraphRequests += measured.subgraphRequests;
          tally.answers += measured.answers;
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
