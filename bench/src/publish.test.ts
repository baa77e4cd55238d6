import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { publishResults } from './publish.js';
import type { WorkersBenchResult, WorkersResult } from './workersBench.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workersRun(split: boolean): WorkersBenchResult {
  const row = (workers: number, medianRps: number, cpuCores: number): WorkersResult => ({
    workers,
    medianRps,
    slices: [medianRps - 10, medianRps, medianRps + 10],
    cpuCores,
    rpsPerGatewayCore: medianRps / cpuCores,
    otherCores: 0.45,
    ...(split ? { loadGeneratorCores: 0.31, subgraphCores: workers === 1 ? 0.08 : 0.14 } : {}),
    p99: 200,
    errors: 0,
    mismatches: 0,
  });
  const results = [row(1, 400, 1), row(2, 600, 1.5)];
  return {
    connections: 50,
    sliceSeconds: 6,
    rounds: 3,
    cpus: '0-1',
    ...(split ? { loadGenerator: 'wrk' as const } : {}),
    results,
    scaling: 1.5,
    perCoreScaling: 1,
  };
}

function publish(workers: WorkersBenchResult): { md: string; json: unknown } {
  const dir = mkdtempSync(join(tmpdir(), 'edgeway-publish-'));
  dirs.push(dir);
  publishResults(dir, { command: 'npm run bench', machine: { cores: 2 }, workers });
  return {
    md: readFileSync(join(dir, 'latest.md'), 'utf8'),
    json: JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')),
  };
}

describe('publishResults', () => {
  it('keeps the worker-mode run in latest.md: each worker count, the ratio, and where the other cores went', () => {
    const { md, json } = publish(workersRun(true));
    expect(md).toContain('## Worker mode');
    expect(md).toContain('every process on cores 0-1, load from wrk');
    expect(md).toMatch(/^ +1 +400\.0 +1\.00 +400\.0 +0\.45 +200 ms/m);
    expect(md).toMatch(/^ +2 +600\.0 +1\.50 +400\.0 +0\.45 +200 ms/m);
    expect(md).toContain('2 workers / 1 worker: 1.50x median rps (target 1.7x); 1.00x rps per core');
    expect(md).toContain(
      'of which the load generator 0.31 and 0.31, the subgraphs 0.08 and 0.14 (1 worker and 2 workers)',
    );
    expect(json).toMatchObject({ workers: { scaling: 1.5 } });
  });

  it('renders a run kept before the split was recorded, without it', () => {
    const { md } = publish(workersRun(false));
    expect(md).toContain('2 workers / 1 worker: 1.50x');
    expect(md).not.toContain('of which');
    // Runs kept before wrk was used all had autocannon.
    expect(md).toContain('load from autocannon');
  });
});
