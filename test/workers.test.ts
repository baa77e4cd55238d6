import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchSystem, type RunningSystem, SERVICES, startService } from '../scripts/system.js';
import { tokenFor, url as sharedUrl } from './support/client.js';
import { scrape, valueOf } from './support/metrics.js';
import { poll } from './support/otlp.js';

// A gateway of its own in worker mode (GATEWAY_WORKERS=2), over a products subgraph of its own,
// observed only from outside: its answers, access log, /metrics, and its processes in /proc.
const QUERY = 'query WorkersProbe { topProducts(first: 2) { upc name } }';
const USER_BUDGET = 6;
const product = { upc: expect.any(String), name: expect.any(String) };
/** A whole answer's data: two products. */
const PRODUCTS = { data: { topProducts: [product, product] } };

let system: RunningSystem;
const lines: string[] = [];
const gateway = () => system.services.find((s) => s.name === 'gateway')!;

/** One POST on a connection of its own, so the primary hands each request to the next worker. */
function post(headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const target = new URL('/graphql', gateway().url);
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query: QUERY }));
  });
}

/** The processes the primary forked (its children), from /proc. */
function workerPids(primary: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === primary) pids.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids.sort();
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The gateway's access-log lines of WorkersProbe requests seen so far. */
const probeLog = () =>
  lines
    .filter((l) => l.startsWith('gateway |') && l.includes('"msg":"request"') && l.includes('WorkersProbe'))
    .map((l) => JSON.parse(l.slice('gateway | '.length)) as { worker?: number; trace_id?: string });
const servingWorkers = () => new Set(probeLog().map((l) => l.worker));

beforeAll(async () => {
  system = await launchSystem({
    ports: 'free',
    only: ['products', 'gateway'],
    env: {
      NODE_ENV: 'test',
      JWKS_URL: `${sharedUrl('identity')}/.well-known/jwks.json`,
      RATE_LIMIT_MAX: String(USER_BUDGET),
      RATE_LIMIT_ANONYMOUS_MAX: '100000',
      DRAIN_TIMEOUT_MS: '8000',
    },
    serviceEnv: { gateway: { GATEWAY_WORKERS: '2' } },
    onLine: (service, line) => lines.push(`${service} | ${line}`),
  });
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

describe('worker mode (GATEWAY_WORKERS=2)', () => {
  it('runs two workers, both answer, and /metrics counts every request of both', async () => {
    expect(workerPids(gateway().child.pid!)).toHaveLength(2);
    const before = valueOf(await scrape(gateway().url), 'edgeway_requests_total', { operation: 'WorkersProbe' });
    const sent = 12;
    for (let i = 0; i < sent; i++) {
      const answer = await post();
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject(PRODUCTS);
      expect(JSON.parse(answer.body)).not.toHaveProperty('errors');
    }
    // Each access-log line names its worker: connections were handed to both.
    await poll(async () => servingWorkers().size === 2, 10_000);
    expect([...servingWorkers()].sort()).toEqual([1, 2]);
    // Each worker runs its own tracing SDK (started by the same --import as the primary's).
    expect(probeLog().every((l) => /^[0-9a-f]{32}$/.test(l.trace_id ?? ''))).toBe(true);

    const metrics = await scrape(gateway().url);
    expect(valueOf(metrics, 'edgeway_requests_total', { operation: 'WorkersProbe' }) - before).toBe(sent);
    expect(valueOf(metrics, 'edgeway_workers')).toBe(2);
    // Process metrics stay per worker; the service's own are summed.
    expect(
      metrics
        .filter((s) => s.name === 'process_cpu_seconds_total')
        .map((s) => s.labels.worker)
        .sort(),
    ).toEqual(['1', '2']);
    expect(metrics.filter((s) => s.name === 'edgeway_requests_total' && s.labels.worker !== undefined)).toEqual([]);
  });

  it('keeps one in-memory rate limit for all workers: of twice the budget, exactly the budget passes', async () => {
    const token = await tokenFor('2');
    const statuses: number[] = [];
    for (let i = 0; i < USER_BUDGET * 2; i++) statuses.push((await post({ authorization: `Bearer ${token}` })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(USER_BUDGET);
    expect(statuses.filter((s) => s === 429)).toHaveLength(USER_BUDGET);
    expect(statuses.slice(0, USER_BUDGET).every((s) => s === 200)).toBe(true);
  });

  it('replaces a worker that dies', async () => {
    const primary = gateway().child.pid!;
    const [victim, survivor] = workerPids(primary);
    process.kill(victim!, 'SIGKILL');
    await poll(async () => {
      const pids = workerPids(primary);
      return pids.length === 2 && !pids.includes(victim!) && pids.includes(survivor!);
    }, 10_000);
    // Served meanwhile by the survivor, and by both again once the new one listens.
    expect((await post()).status).toBe(200);
    await poll(async () => valueOf(await scrape(gateway().url), 'edgeway_workers') === 2, 90_000);
    const metrics = await scrape(gateway().url);
    expect(valueOf(metrics, 'edgeway_worker_restarts_total')).toBe(1);
    expect(lines.some((l) => l.includes('worker died: starting another'))).toBe(true);
  }, 120_000);

  it('drains every worker on SIGTERM: an in-flight request finishes, then every process exits 0', async () => {
    const child: ChildProcess = gateway().child;
    const workers = workerPids(child.pid!);
    expect(workers).toHaveLength(2);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Slow on purpose (the gateway's x-chaos for a subgraph): still running when SIGTERM comes.
    const slow = post({ 'x-chaos': 'products=slow:1500' });
    await poll(async () => valueOf(await scrape(gateway().url), 'edgeway_requests_in_flight') >= 1, 10_000);

    child.kill('SIGTERM');
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject(PRODUCTS);
    expect(JSON.parse(answer.body)).not.toHaveProperty('errors');
    expect(await exited).toBe(0);
    expect(workers.filter(alive)).toEqual([]);
    expect(lines.filter((l) => l.includes('"msg":"draining"'))).toHaveLength(2);
  }, 60_000);

  it('gives up loudly when workers keep dying before they listen (a port taken), exit 1', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const own: string[] = [];
    try {
      const start = startService(
        SERVICES.find((s) => s.name === 'gateway')!,
        { NODE_ENV: 'test', GATEWAY_WORKERS: '2', PORT: String(port), LOG_LEVEL: 'info' },
        { onLine: (_service, line) => own.push(line), startTimeoutMs: 240_000 },
      );
      await expect(start).rejects.toThrow(/exited during start \(code 1/);
    } finally {
      taken.close();
    }
    expect(own.some((l) => l.includes('EADDRINUSE'))).toBe(true);
    expect(own.some((l) => l.includes('"level":"fatal"') && l.includes('giving up'))).toBe(true);
  }, 300_000);
});
