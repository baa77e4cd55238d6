import { type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchSystem, type RunningSystem } from '../scripts/system.js';
import { tokenFor, url as sharedUrl } from './support/client.js';
import { scrape, valueOf } from './support/metrics.js';
import { type OtlpReceiver, poll, startOtlpReceiver } from './support/otlp.js';
import { newTraceparent } from './support/telemetry.js';

// A gateway of its own (the shared one must keep serving): it reads a supergraph file this test
// rewrites, gets SIGTERM at the end, and reaches a products subgraph of its own (subgraphs only
// take credentials signed with their system's key). Only products is queried.
const COMMITTED = fileURLToPath(new URL('../gateway/supergraph.graphql', import.meta.url));
const QUERY = '{ topProducts(first: 2) { upc name } }';

let dir: string;
let supergraph: string;
let system: RunningSystem;
let receiver: OtlpReceiver;
const lines: string[] = [];

const gateway = () => system.services.find((s) => s.name === 'gateway')!;

async function graphql(query: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway().url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
  return { status: response.status, body };
}

const queryDescription = async () =>
  ((await graphql('{ __type(name: "Query") { description } }')).body.data as { __type: { description: string | null } })
    .__type.description;

const reloads = async (result: string) =>
  valueOf(await scrape(gateway().url), 'edgeway_supergraph_reloads_total', { result });

/** Rewrites the supergraph with `description` on the Query type: a real change, visible by introspection. */
function writeSupergraph(description: string): void {
  const sdl = readFileSync(COMMITTED, 'utf8').replace(/^type Query$/m, `"""${description}"""\ntype Query`);
  writeFileSync(supergraph, sdl);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edgeway-lifecycle-'));
  supergraph = join(dir, 'supergraph.graphql');
  copyFileSync(COMMITTED, supergraph);
  receiver = await startOtlpReceiver();
  system = await launchSystem({
    ports: 'free',
    only: ['products', 'gateway'],
    env: {
      NODE_ENV: 'test',
      JWKS_URL: `${sharedUrl('identity')}/.well-known/jwks.json`,
      RATE_LIMIT_MAX: '3',
      RATE_LIMIT_ANONYMOUS_MAX: '100000',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      // Spans leave on their own only every minute: what arrives after SIGTERM was flushed on drain.
      OTEL_BSP_SCHEDULE_DELAY: '60000',
      OTEL_TRACES_SAMPLER: 'parentbased_always_off',
      DRAIN_TIMEOUT_MS: '8000',
    },
    serviceEnv: { gateway: { SUPERGRAPH_PATH: supergraph } },
    onLine: (service, line) => lines.push(`${service} | ${line}`),
  });
}, 120_000);

afterAll(async () => {
  await system?.stop();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('supergraph reload (SUPERGRAPH_PATH)', () => {
  it('follows the file during steady traffic without failing a request, and keeps the old schema when the new one is invalid', async () => {
    const answers: Array<{ status: number; errors: unknown }> = [];
    let running = true;
    const client = async () => {
      while (running) {
        const { status, body } = await graphql(QUERY);
        answers.push({ status, errors: body.errors });
      }
    };
    const traffic = [client(), client()];
    try {
      writeSupergraph('reloaded 1');
      await poll(async () => (await queryDescription()) === 'reloaded 1', 20_000);
      expect(await reloads('success')).toBe(1);

      writeFileSync(supergraph, 'type Query { this is not a supergraph');
      await poll(async () => (await reloads('error')) === 1, 20_000);
      expect(await queryDescription()).toBe('reloaded 1');
      expect(lines.some((l) => l.includes('supergraph rejected: still serving the previous one'))).toBe(true);

      writeSupergraph('reloaded 2');
      await poll(async () => (await queryDescription()) === 'reloaded 2', 20_000);
      expect(await reloads('success')).toBe(2);
    } finally {
      running = false;
      await Promise.all(traffic);
    }
    expect(answers.length).toBeGreaterThan(10);
    expect(answers.filter((a) => a.status !== 200 || a.errors !== undefined)).toEqual([]);
  });
});

describe('rate-limit metrics', () => {
  it('a 429 counts as a rejection, a request with status 429, and a RATE_LIMITED error', async () => {
    const token = await tokenFor('3');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await graphql(QUERY, { authorization: `Bearer ${token}` })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const metrics = await scrape(gateway().url);
    expect(valueOf(metrics, 'edgeway_rate_limit_rejections_total', { client_kind: 'user' })).toBe(1);
    expect(valueOf(metrics, 'edgeway_requests_total', { status: '429' })).toBe(1);
    expect(valueOf(metrics, 'edgeway_request_errors_total', { code: 'RATE_LIMITED' })).toBe(1);
  });
});

describe('drain on SIGTERM', () => {
  it('stops accepting, finishes every in-flight request, flushes their spans and exits 0', async () => {
    const child: ChildProcess = gateway().child;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const clients = [1, 2, 3, 4].map(() => newTraceparent());
    // Slow on purpose (the gateway's x-chaos for a subgraph): still running when SIGTERM comes.
    const inFlight = clients.map((client) =>
      graphql(QUERY, { 'x-chaos': 'products=slow:1500', traceparent: client.header }),
    );
    await poll(async () => valueOf(await scrape(gateway().url), 'edgeway_requests_in_flight') >= 4, 10_000);

    child.kill('SIGTERM');
    await poll(() => lines.some((l) => l.startsWith('gateway') && l.includes('"draining"')), 5_000);
    const late = await fetch(`${gateway().url}/readyz`).then(
      (response) => response.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);

    for (const answer of await Promise.all(inFlight)) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
    }
    expect(await exited).toBe(0);
    expect(lines.filter((l) => l.startsWith('gateway') && l.includes('"stopped"'))).toHaveLength(1);
    for (const client of clients) {
      expect(
        receiver.spans().some((s) => s.traceId === client.traceId && s.service === 'gateway' && s.kind === 2),
      ).toBe(true);
    }
  });
});
