import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchSystem, type RunningSystem } from '../scripts/system.js';
import { url as sharedUrl } from './support/client.js';

// The gateway process as operators run it follows its configuration file: a canary added, a file
// refused, a canary removed, without a restart. (The routing itself is tested in gateway/src.)
let system: RunningSystem;
let dir: string;
let file: string;
let gateway: string;
let reviews: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edgeway-canary-'));
  file = join(dir, 'gateway.config.yaml');
  writeFileSync(file, 'subgraphs: {}\n');
  system = await launchSystem({
    ports: 'free',
    only: ['accounts', 'products', 'reviews', 'inventory', 'orders', 'gateway'],
    env: { NODE_ENV: 'test', JWKS_URL: `${sharedUrl('identity')}/.well-known/jwks.json` },
    serviceEnv: { gateway: { GATEWAY_CONFIG: file } },
  });
  gateway = system.services.find((s) => s.name === 'gateway')!.url;
  reviews = system.services.find((s) => s.name === 'reviews')!.url;
}, 180_000);

afterAll(async () => {
  await system?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const dependencies = async () =>
  (
    (await (await fetch(`${gateway}/health/dependencies`)).json()) as { dependencies: Array<{ name: string }> }
  ).dependencies.map((d) => d.name);

/** The value of one series on the gateway's /metrics, 0 when absent. */
async function sample(name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${gateway}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the gateway did not follow the file within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const ask = (headers: Record<string, string> = {}) =>
  fetch(`${gateway}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ topProducts(first: 2) { upc reviews { body } } }' }),
  });

describe('canary reload in the running gateway', () => {
  it('adds a canary, refuses a wrong file keeping it, and removes it, without a restart', async () => {
    writeFileSync(
      file,
      `subgraphs:\n  reviews:\n    canary:\n      url: ${reviews}/graphql\n      header: { name: x-canary, value: yes }\n`,
    );
    await until(async () => (await dependencies()).includes('reviews (canary)'));
    const response = await ask({ 'x-canary': 'yes' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    // Sent to the canary (answered by it, or by stable if it was too slow on a loaded machine).
    const canary = (outcome: string) =>
      sample('edgeway_subgraph_variant_requests_total', { subgraph: 'reviews', variant: 'canary', outcome });
    expect((await canary('ok')) + (await canary('fallback'))).toBe(1);

    writeFileSync(file, 'subgraphs:\n  reviews:\n    canary: { url: nowhere, percent: 101 }\n');
    await until(async () => (await sample('edgeway_config_reloads_total', { result: 'error' })) === 1);
    expect(await dependencies()).toContain('reviews (canary)');

    writeFileSync(file, 'subgraphs: {}\n');
    await until(async () => !(await dependencies()).includes('reviews (canary)'));
    expect(await sample('edgeway_config_reloads_total', { result: 'success' })).toBe(2);
    expect((await ask()).status).toBe(200);
  }, 90_000);
});
