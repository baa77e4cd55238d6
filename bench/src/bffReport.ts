import { cpus } from 'node:os';
import type { BffBenchResult, LatencyStats, ScenarioResult } from './bffBench.js';

const ms = (value: number) => `${value.toFixed(1)} ms`;
const perOp = (value: number | null) => (value === null ? '-' : value.toFixed(2));
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

/** Columns right-aligned, except the first (a name). */
function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '))
    .join('\n');
}

function latencyRow(name: string, s: LatencyStats): string[] {
  return [
    name,
    String(s.requests),
    s.rps.toFixed(1),
    ms(s.p50),
    ms(s.p95),
    ms(s.p99),
    String(s.errors + s.non2xx),
    String(s.mismatches),
  ];
}

function upstreamRows(scenario: ScenarioResult): string[][] {
  return scenario.upstream.map((u) => [
    scenario.name,
    u.dependency,
    perOp(u.callsPerOperation),
    perOp(u.receivedPerOperation),
    perOp(u.failedPerOperation),
    perOp(u.shortCircuitedPerOperation),
    u.meanOkCallMs === null ? '-' : ms(u.meanOkCallMs),
  ]);
}

function gatewayOperationsLine(scenario: ScenarioResult): string {
  const parts = Object.entries(scenario.gatewayOperations).map(([name, value]) => `${name} ${value.toFixed(2)}`);
  return `  ${scenario.name}: ${parts.join(', ') || 'none'}`;
}

function prefetchLine(scenario: ScenarioResult): string {
  const parts = Object.entries(scenario.prefetches).map(([name, { hit, miss }]) => `${name} ${hit} hit, ${miss} miss`);
  return `  ${scenario.name}: ${parts.join('; ') || 'none'}`;
}

/** The BFF benchmark's report, as printed and as kept in docs/benchmarks/latest.md. */
export function formatBffReport(result: BffBenchResult): string {
  const { homeChain: chain, mobileHome, webDashboard, degradedHome, targets } = result;
  const scenarios = [mobileHome, webDashboard, degradedHome];
  const rest = result.restLatencyMs;
  const out: string[] = [];
  out.push(
    `\nBFF benchmark: ${result.connections} connections, ${result.sliceSeconds} s per measurement, ` +
      `REST dependencies ${rest} ms slower by x-chaos (the degraded run: pricing only); ` +
      `load average ${result.loadAverage.before.toFixed(2)} before, ${result.loadAverage.after.toFixed(2)} after\n`,
  );
  out.push(
    table([
      ['measurement', 'requests', 'rps', 'p50', 'p95', 'p99', 'errors', 'wrong'],
      latencyRow("home's dependency chain (direct)", chain),
      ...scenarios.map((s) => latencyRow(s.name, s)),
    ]),
  );
  out.push(
    "\nHome's dependency chain: its requests sent straight from the load generator, all at once, " +
      `the REST calls after ${rest} ms (in turns with the home measurement)\n`,
  );
  out.push(
    table([
      ['request', 'p50', 'p95', 'p99'],
      ...Object.entries(chain.legs).map(([name, leg]) => [name, ms(leg.p50), ms(leg.p95), ms(leg.p99)]),
      ['all three (the chain)', ms(chain.p50), ms(chain.p95), ms(chain.p99)],
    ]),
  );
  out.push(
    "\nUpstream calls per operation (calls, failed, short-circuited: the BFF's /metrics; received: the dependency's own; " +
      `per operation: a counted run of ${mobileHome.operations} operations after each measurement)\n`,
  );
  out.push(
    table([
      ['measurement', 'dependency', 'calls', 'received', 'failed', 'short-circuited', 'mean ok call'],
      ...scenarios.flatMap(upstreamRows),
    ]),
  );
  out.push('\nGateway requests per operation, by gateway operation');
  out.push(...scenarios.map(gatewayOperationsLine));
  out.push(
    '\nPrefetches on a guess over the counted run (hit: the guess covered the fresh answer; miss: the rest was fetched after it)',
  );
  out.push(...scenarios.map(prefetchLine));
  out.push(
    `\nRecommendations killed: circuit open after ${degradedHome.requestsToOpen} requests, ` +
      `${degradedHome.circuitAfter} after the measurement; extensions.degraded: ${JSON.stringify(degradedHome.sampleDegraded)}`,
  );
  if (Math.max(result.loadAverage.before, result.loadAverage.after) > cpus().length) {
    out.push(
      `\nNote: load average above the ${cpus().length} cores: latencies are largely queueing for CPU, ` +
        'and drift with other work on the machine.',
    );
  }
  out.push('\nTargets');
  const over = targets.overChain;
  out.push(
    `${verdict(over.pass)} mobile home p50 ${ms(over.p50)} - chain p50 ${ms(over.chainP50)} = ${ms(over.gapMs)} ` +
      `<= ${ms(over.limitMs)}`,
  );
  out.push(`     its three requests one after the other for contrast: ${ms(targets.serialSumMs)}`);
  out.push(
    `${verdict(targets.degraded.pass)} degraded mobile home not slower: p50 ${ms(degradedHome.p50)} vs ${ms(mobileHome.p50)} ` +
      `(${targets.degraded.p50Ratio.toFixed(2)}x), p99 ${ms(degradedHome.p99)} vs ${ms(mobileHome.p99)} ` +
      `(${targets.degraded.p99Ratio.toFixed(2)}x)`,
  );
  return `${out.join('\n')}\n`;
}

export function printBffReport(result: BffBenchResult): void {
  process.stdout.write(`${formatBffReport(result)}\n`);
}
