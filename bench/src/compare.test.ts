import { describe, expect, it } from 'vitest';
import { checkTargets, compare } from './compare.js';
import type { GatewayBenchResult, TargetResult, WorkloadResult } from './gatewayBench.js';
import { spread, type RoundResult } from './measure.js';

const round = (rpsPerCore: number, p99 = 100, peakRssBytes = 100): RoundResult => ({
  rps: rpsPerCore,
  rpsPerCore,
  cpuCores: 1,
  p99,
  peakRssBytes,
  loadGeneratorCores: 0.2,
  loadCoresBusy: 0.5,
  gatewayCoresBusy: 1,
});

const target = (name: string, rounds: RoundResult[]): TargetResult => ({
  target: name,
  description: name,
  node: process.version,
  nodeOptions: '',
  rps: 0,
  // Deliberately not the per-round figures: checks must use the rounds, never the aggregate.
  rpsPerCore: rounds.reduce((sum, r) => sum + r.rpsPerCore, 0),
  cpuCores: 1,
  p50: 0,
  p95: 0,
  p99: 0,
  requests: 0,
  errors: 0,
  non2xx: 0,
  mismatches: 0,
  peakRssBytes: 0,
  peakRssAfterWarmupBytes: 0,
  subgraphRequestsPerOperation: 1,
  loadGeneratorCores: 0.2,
  loadCoresBusy: 0.5,
  gatewayCoresBusy: 1,
  rounds,
});

const result = (workloads: WorkloadResult[]): GatewayBenchResult => ({
  connections: 50,
  sliceSeconds: 6,
  rounds: 3,
  warmupSeconds: 8,
  equalNodeOptions: '',
  gatewayCpus: '0',
  loadCpus: '1',
  answerBytes: 0,
  workloads,
});

describe('per-round ratios', () => {
  it('takes the median and the spread, not the best round', () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, perRound: [3, 1, 2] });
    expect(spread([4, 1, 2, 3]).median).toBe(2.5);
  });

  it('pairs the slices of the same round', () => {
    const workload: WorkloadResult = {
      name: 'testquery',
      description: '',
      targets: [
        target('edgeway', [round(300), round(100), round(330)]),
        target('vanilla', [round(100), round(50), round(100)]),
      ],
    };
    const c = compare(workload, 'edgeway', 'vanilla', 'rpsPerCore');
    expect(c?.perRound).toEqual([3, 2, 3.3]);
    expect(c?.median).toBe(3);
    expect(c?.min).toBe(2);
    expect(compare(workload, 'edgeway', 'hive', 'rpsPerCore')).toBeUndefined();
  });

  it('checks the targets on medians: 2x Hive Gateway, and the aim of passing its Rust planner', () => {
    const testquery: WorkloadResult = {
      name: 'testquery',
      description: '',
      targets: [
        target('edgeway', [round(300, 90, 120), round(290, 90, 120), round(310, 90, 120)]),
        target('edgeway-nodedup', [round(150), round(150), round(150)]),
        target('vanilla', [round(100), round(100), round(100)]),
        target('hive', [round(100), round(100), round(100)]),
        target('hive-rust', [round(200), round(200), round(200)]),
      ],
    };
    const checks = checkTargets(result([testquery]));
    const byName = Object.fromEntries(checks.map((c) => [c.name, c.pass]));
    expect(byName).toEqual({
      'TestQuery: edgeway / vanilla rps per core': true,
      'TestQuery: edgeway / hive rps per core': true,
      'TestQuery (aim): edgeway / hive-rust rps per core': true,
      'TestQuery: edgeway / vanilla p99': true,
      'TestQuery: edgeway / vanilla peak RSS': false,
      'TestQuery, dedup off: edgeway-nodedup / vanilla rps per core': false,
    });
    expect(checks[1]?.detail).toBe('median 3.00x (rounds 2.90x-3.10x), target >= 2.00x');
    expect(checks[2]?.detail).toBe('median 1.50x (rounds 1.45x-1.55x), target >= 1.00x');
  });

  it('checks peak RSS on the median of the rounds and on the highest round', () => {
    const mib = 2 ** 20;
    const withPeak = (t: TargetResult) => ({ ...t, peakRssBytes: Math.max(...t.rounds.map((r) => r.peakRssBytes)) });
    const testquery: WorkloadResult = {
      name: 'testquery',
      description: '',
      targets: [
        withPeak(target('edgeway', [round(300, 90, 300 * mib), round(300, 90, 90 * mib), round(300, 90, 90 * mib)])),
        withPeak(
          target('vanilla', [round(100, 100, 100 * mib), round(100, 100, 100 * mib), round(100, 100, 100 * mib)]),
        ),
      ],
    };
    const checks = checkTargets(result([testquery]));
    const rss = checks.filter((c) => c.name.includes('peak RSS'));
    expect(rss.map((c) => [c.name, c.pass])).toEqual([
      ['TestQuery: edgeway / vanilla peak RSS', true],
      ['TestQuery: edgeway / vanilla peak RSS, highest round', false],
    ]);
    expect(rss[1]?.detail).toBe('3.00x (300 against 100 MiB), target <= 1.00x');
  });
});
