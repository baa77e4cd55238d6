// The gateway benchmark's results: one row per gateway and workload, every round kept.
import { percentile, type Slice } from './load.js';
import type { RoundResult } from './measure.js';
import type { SubgraphCeiling } from './subgraphTier.js';
import type { Target } from './targets.js';
import type { WorkloadName } from './workload.js';

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

/** What a gateway's slices on one workload added up to. */
export interface Tally {
  slices: Slice[];
  rounds: RoundResult[];
  /** Sums over the slices' steady windows. */
  cpu: number;
  wall: number;
  subgraphRequests: number;
  answers: number;
}

export function summarise(target: Target, tally: Tally, peakAfterWarmup: number): TargetResult {
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
    // Rates over the slices' steady windows (measure.ts), as each round's.
    rps: tally.answers / tally.wall,
    rpsPerCore: tally.cpu > 0 ? tally.answers / tally.cpu : 0,
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
