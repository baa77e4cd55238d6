import { checkTargets, comparisons, type Comparison, describeSpread } from './compare.js';
import type { GatewayBenchResult, TargetResult, WorkloadResult } from './gatewayBench.js';

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const pct = (value: number) => `${(value * 100).toFixed(0)}%`;

/** Columns right-aligned, except the first (a name). */
function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '))
    .join('\n');
}

const METRIC: Record<Comparison['metric'], string> = {
  rpsPerCore: 'rps per core',
  rps: 'rps served',
  p99: 'p99',
  peakRssBytes: 'peak RSS',
};

/**
 * Why a gateway did not use its whole core: its load generator ran out of CPU, other processes
 * took its core, or the load side (load generator, subgraphs, identity, others) was busy.
 */
export function coreNotUsed(t: TargetResult): string | undefined {
  if (t.cpuCores >= 0.9) return undefined;
  const used = `${t.target} used ${t.cpuCores.toFixed(2)} of its core`;
  const loadGenerator = `the load generator ${t.loadGeneratorCores.toFixed(2)} core`;
  if (t.loadGeneratorCores >= 0.85) return `${used}; ${loadGenerator}: the load generator was the limit`;
  if (t.gatewayCoresBusy >= 0.9) {
    return `${used}; its core was ${pct(t.gatewayCoresBusy)} busy: other processes on the machine took the rest`;
  }
  if (t.loadCoresBusy >= 0.9) {
    return `${used}; ${loadGenerator}, the load cores ${pct(t.loadCoresBusy)} busy: the load side was the limit`;
  }
  return `${used}; ${loadGenerator}, the load cores ${pct(t.loadCoresBusy)} busy`;
}

function workloadReport(result: GatewayBenchResult, workload: WorkloadResult, ratios: Comparison[]): string {
  const out: string[] = [];
  out.push(
    `Workload "${workload.name}": ${workload.description}\n${result.connections} connections, ${result.rounds} interleaved ` +
      `rounds of ${result.sliceSeconds} s per gateway after ${result.warmupSeconds} s of warm-up; every answer checked\n`,
  );
  out.push(
    table([
      ['gateway', 'rps', 'rps/core', 'cpu', 'p50', 'p95', 'p99', 'errors', 'wrong', 'peak rss', 'subgraph req/op'],
      ...workload.targets.map((t) => [
        t.target,
        t.rps.toFixed(1),
        // The cached gateway does not use its whole core: what it served is its figure, not an
        // extrapolation to a core it did not use.
        t.target.endsWith('+cache') ? '-' : t.rpsPerCore.toFixed(1),
        t.cpuCores.toFixed(2),
        ms(t.p50),
        ms(t.p95),
        ms(t.p99),
        String(t.errors + t.non2xx),
        String(t.mismatches),
        mib(t.peakRssBytes),
        t.subgraphRequestsPerOperation.toFixed(2),
      ]),
    ]),
  );
  out.push('\nRatios per round (median, and the lowest-highest round):');
  for (const c of ratios.filter((r) => r.workload === workload.name)) {
    out.push(`  ${c.a} / ${c.b} ${METRIC[c.metric]}: ${describeSpread(c)}`);
  }
  const limits = workload.targets.map(coreNotUsed).filter(Boolean);
  if (limits.length) out.push(`\n${limits.map((line) => `  ${line}`).join('\n')}`);
  return out.join('\n');
}

/** The gateway benchmark's report, as printed and as kept in docs/benchmarks/latest.md. */
export function formatGatewayReport(result: GatewayBenchResult): string {
  const ratios = comparisons(result);
  const out: string[] = [];
  const first = result.workloads[0]?.targets[0];
  // "1-1" reads as core 1.
  const cores = (cpus: string) => cpus.replace(/^(\d+)-\1$/, '$1');
  out.push(
    `Federation benchmark: gateways pinned to core ${cores(result.gatewayCpus)}, load generator, subgraphs and ` +
      `identity on ${cores(result.loadCpus)}; node ${first?.node ?? process.version} for every gateway`,
  );
  out.push(
    `Gateways:\n${(first ? result.workloads[0]!.targets : []).map((t) => `  ${t.target}: ${t.description}`).join('\n')}`,
  );
  for (const workload of result.workloads) out.push(workloadReport(result, workload, ratios));
  if (result.subgraphCeiling) {
    const c = result.subgraphCeiling;
    out.push(
      `Subgraph tier alone: ${c.requestsPerSecond.toFixed(0)} req/s = ${c.operationsPerSecond.toFixed(0)} TestQuery/s ` +
        `at ${c.requestsPerOperation.toFixed(1)} subgraph requests per operation`,
    );
  }
  const checks = checkTargets(result);
  if (checks.length) {
    out.push(
      `Targets (medians over the rounds)\n${checks.map((c) => `${c.pass ? 'PASS' : 'FAIL'} ${c.name}: ${c.detail}`).join('\n')}`,
    );
  }
  return `${out.join('\n\n')}\n`;
}

export function printGatewayReport(result: GatewayBenchResult): void {
  process.stdout.write(`\n${formatGatewayReport(result)}\n`);
}
