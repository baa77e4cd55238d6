import type { GatewayBenchResult, TargetResult } from './gatewayBench.js';

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  ')).join('\n');
}

export function ratio(a: TargetResult | undefined, b: TargetResult | undefined): number | undefined {
  return a && b && b.rpsPerCore > 0 ? a.rpsPerCore / b.rpsPerCore : undefined;
}

export function printGatewayReport(result: GatewayBenchResult): void {
  const out: string[] = [];
  out.push(
    `\nFederation benchmark: TestQuery (${result.answerBytes} bytes), ${result.connections} connections, ` +
      `${result.rounds} interleaved slices of ${result.sliceSeconds} s per gateway\n`,
  );
  out.push(
    table([
      ['gateway', 'rps', 'rps/core', 'cpu', 'p50', 'p95', 'p99', 'errors', 'wrong', 'peak rss', 'subgraph req/op'],
      ...result.targets.map((t) => [
        t.target,
        t.rps.toFixed(1),
        t.rpsPerCore.toFixed(1),
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
  const by = (name: string) => result.targets.find((t) => t.target === name);
  const lines: string[] = [];
  for (const [a, b] of [
    ['edgeway', 'vanilla'],
    ['edgeway', 'hive'],
    ['hive', 'vanilla'],
    ['edgeway+cache', 'vanilla'],
  ] as const) {
    const value = ratio(by(a), by(b));
    if (value !== undefined) lines.push(`${a} / ${b}: ${value.toFixed(2)}x rps per core`);
  }
  const edgeway = by('edgeway');
  const vanilla = by('vanilla');
  if (edgeway && vanilla) {
    lines.push(`edgeway p99 / vanilla p99: ${(edgeway.p99 / vanilla.p99).toFixed(2)}`);
    lines.push(`edgeway peak rss / vanilla: ${(edgeway.peakRssBytes / vanilla.peakRssBytes).toFixed(2)}`);
  }
  if (result.subgraphCeiling) {
    const c = result.subgraphCeiling;
    lines.push(
      `subgraph tier alone: ${c.requestsPerSecond.toFixed(0)} req/s = ${c.operationsPerSecond.toFixed(0)} TestQuery/s ` +
        `at ${c.requestsPerOperation.toFixed(1)} subgraph requests per operation`,
    );
  }
  out.push(`\n${lines.join('\n')}\n`);
  process.stdout.write(`${out.join('\n')}\n`);
}
