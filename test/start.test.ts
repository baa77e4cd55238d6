import { type ChildProcess, spawn } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTestIssuer } from '@edgeway/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../scripts/system.js';
import { graphql } from './support/client.js';

/**
 * `npm start` as a user runs it, beside the system the other tests share: every port moved by
 * EDGEWAY_PORT_BASE, and the user's own identity provider (JWKS_URL, JWT_ISSUER) kept over the
 * launcher's wiring.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OFFSETS = SERVICES.map((s) => s.port - 4000);

async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A base whose eleven ports are all free now, below the ephemeral range (32768 and up on Linux)
 * where the other tests' port-0 listeners and outgoing connections take theirs.
 */
async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 10_000 + Math.floor(Math.random() * 220) * 100;
    const free = await Promise.all(OFFSETS.map((offset) => portFree(base + offset)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free port base found');
}

const issuer = await createTestIssuer('https://id.example.test', 'edgeway');
let jwks: Server;
let jwksUrl: string;
let child: ChildProcess;
let base: number;
let output = '';

beforeAll(async () => {
  jwks = createHttpServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(issuer.jwks));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as { port: number }).port}/jwks.json`;
  base = await freeBase();
  child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      EDGEWAY_PORT_BASE: String(base),
      JWKS_URL: jwksUrl,
      JWT_ISSUER: issuer.issuer,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('Ctrl-C stops every service')) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited (code ${code}):\n${output}`));
    });
  });
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  jwks?.close();
});

describe('npm start', () => {
  it('moves every port by EDGEWAY_PORT_BASE, prints them, and every service answers there', async () => {
    for (const service of SERVICES) {
      const port = base + service.port - 4000;
      expect(output).toContain(`http://127.0.0.1:${port}`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status, service.name).toBe(200);
    }
  });

  it("keeps the user's JWKS_URL, says so, and prints the wiring it chose", async () => {
    expect(output).toContain(`JWKS_URL=${jwksUrl} (from your environment)`);
    expect(output).toContain(`GATEWAY_URL=http://127.0.0.1:${base}/graphql`);
    const gateway = `http://127.0.0.1:${base}`;
    const viaOwnProvider = await fetch(`${gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await issuer.sign('1')}` },
      body: JSON.stringify({ query: '{ me { username } }' }),
    });
    expect(viaOwnProvider.status).toBe(200);
    expect(await viaOwnProvider.json()).toMatchObject({ data: { me: { username: 'ada' } } });

    // A token from the development identity service, which this launch was told not to trust.
    const devToken = (await (
      await fetch(`http://127.0.0.1:${base + 300}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sub: '1' }),
      })
    ).json()) as { access_token: string };
    const refused = await fetch(`${gateway}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${devToken.access_token}`,
      },
      body: JSON.stringify({ query: '{ me { username } }' }),
    });
    expect(refused.status).toBe(401);
  });

  it('runs beside the shared system: both answer the same query', async () => {
    const query = '{ topProducts(first: 2) { upc name } }';
    const shared = await graphql('gateway', query);
    const moved = await fetch(`http://127.0.0.1:${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    expect(shared.body.data).toBeDefined();
    expect(((await moved.json()) as { data: unknown }).data).toEqual(shared.body.data);
  });

  it('refuses a port base that leaves no room for every service, naming the variable', async () => {
    const run = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, EDGEWAY_PORT_BASE: '65400' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let said = '';
    run.stderr!.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const code = await new Promise((resolve) => run.once('exit', resolve));
    expect(code).toBe(1);
    expect(said).toContain('EDGEWAY_PORT_BASE must be a whole number');
  });
});
