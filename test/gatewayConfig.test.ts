import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchSystem, type RunningSystem, SERVICES, START_ARGS } from '../scripts/system.js';
import { url as sharedUrl } from './support/client.js';

// The gateway as operators run it: the committed example configuration file, read at start from
// GATEWAY_CONFIG, over a system of its own; and a wrong file, refused before it listens.
const EXAMPLE = fileURLToPath(new URL('../gateway/gateway.config.example.yaml', import.meta.url));
const GATEWAY_FOLDER = fileURLToPath(new URL('../gateway', import.meta.url));

let system: RunningSystem;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edgeway-gateway-config-'));
  system = await launchSystem({
    ports: 'free',
    only: ['accounts', 'products', 'reviews', 'inventory', 'orders', 'gateway'],
    env: { NODE_ENV: 'test', JWKS_URL: `${sharedUrl('identity')}/.well-known/jwks.json` },
    serviceEnv: { gateway: { GATEWAY_CONFIG: EXAMPLE } },
  });
}, 180_000);

afterAll(async () => {
  await system?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the gateway's start command with `env` and resolves once it exits, with what it wrote to stderr. */
function runGateway(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, START_ARGS, {
      cwd: GATEWAY_FOLDER,
      env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true', NODE_ENV: 'test', PORT: '0', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error('the gateway did not exit'))), 60_000);
    child.once('exit', (code) => (clearTimeout(timer), resolve({ code, stderr })));
  });
}

describe('the gateway configuration file (GATEWAY_CONFIG)', () => {
  it('the committed example runs the system: the gateway answers across its subgraphs', async () => {
    const gateway = system.services.find((s) => s.name === 'gateway')!;
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'fr', 'x-tenant-id': 'acme' },
      body: JSON.stringify({
        query: '{ topProducts(first: 2) { upc name inStock reviews { rating author { username } } } }',
      }),
    });
    const body = (await response.json()) as { data?: { topProducts: unknown[] }; errors?: unknown };
    expect(response.status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.topProducts).toHaveLength(2);
    const health = (await (await fetch(`${gateway.url}/health/dependencies`)).json()) as {
      dependencies: Array<{ name: string; circuit: string }>;
    };
    expect(health.dependencies.map((d) => d.name).sort()).toEqual(
      SERVICES.filter((s) => s.folder.startsWith('subgraphs/'))
        .map((s) => s.name)
        .sort(),
    );
  });

  it('a wrong file stops the gateway before it listens, with every problem named and no stack trace', async () => {
    const bad = join(dir, 'gateway.config.yaml');
    writeFileSync(
      bad,
      [
        'subgraphs:',
        "  '*': { timeoutMs: 0 }",
        '  accounts:',
        '    credential: maybe',
        '    headers: { request: [{ propagate: { named: transfer-encoding } }] }',
        '  ledger: {}',
      ].join('\n'),
    );
    const { code, stderr } = await runGateway({ GATEWAY_CONFIG: bad });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Invalid configuration:/);
    expect(stderr).toContain('subgraphs.*.timeoutMs: expected a positive integer');
    expect(stderr).toContain('subgraphs.accounts.credential:');
    expect(stderr).toContain('subgraphs.accounts.headers.request.0.propagate.named: is a hop-by-hop header');
    expect(stderr).toContain('subgraphs.ledger: the supergraph has no subgraph "ledger"');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 90_000);

  it('a missing file is refused the same way', async () => {
    const { code, stderr } = await runGateway({ GATEWAY_CONFIG: join(dir, 'missing.yaml') });
    expect(code).toBe(1);
    expect(stderr).toMatch(/GATEWAY_CONFIG: cannot read .*missing\.yaml \(ENOENT\)/);
  }, 90_000);
});
