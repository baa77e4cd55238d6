import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSecrets, readCompose, startOrder } from './compose.js';
import { parseDockerfile } from './dockerfile.js';
import { ImageBuilder, type ImageConfig, NODE_UID } from './image.js';

// The images as Docker would build them from the Dockerfile, and their containers as
// docker-compose.yml runs them (production mode, its environment and the secrets of
// ops/compose/secrets.sh), without a Docker engine: each stage is reproduced in a temporary folder
// (image.ts), the deps stage's `npm ci --omit=dev` runs for real, and each service starts from its
// image's WORKDIR with its CMD, as the node user when the test runs as root. Compose host names
// become 127.0.0.1 and free ports; Jaeger is left out (no collector here), Redis is a local
// redis-server when one is installed.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };

interface Running {
  name: string;
  url: string;
  child: ChildProcess;
  image: ImageConfig;
  env: Record<string, string>;
  args: Record<string, string>;
  stderr: string[];
}

const work = mkdtempSync(join(tmpdir(), 'edgeway-images-'));
chmodSync(work, 0o755); // the node user reads the image's files
const running: Running[] = [];
const extra: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function untilReady(service: Running, deadline = Date.now() + 180_000): Promise<void> {
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) {
      throw new Error(
        `${service.name} exited with ${service.child.exitCode}:\n${service.stderr.join('').slice(-2000)}`,
      );
    }
    const status = await fetch(`${service.url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${service.name} was not ready within 180 s:\n${service.stderr.join('').slice(-2000)}`);
}

/** The build stage's `npm ci`: the repository's own install of the same lock file, hard-linked. */
function linkInstalledModules(cwd: string) {
  for (const folder of ['.', ...root.workspaces]) {
    if (existsSync(join(ROOT, folder, 'node_modules'))) {
      execFileSync('cp', ['-al', join(ROOT, folder, 'node_modules'), join(cwd, folder, 'node_modules')]);
    }
  }
}

beforeAll(async () => {
  const stages = parseDockerfile(join(ROOT, 'Dockerfile'));
  const builder = new ImageBuilder(stages, {
    context: ROOT,
    work,
    equivalents: { 'npm ci --no-audit --no-fund': linkInstalledModules },
  });
  const compose = readCompose(join(ROOT, 'docker-compose.yml'), composeSecrets(join(ROOT, 'ops/compose/secrets.sh')));
  const built = startOrder(compose).filter((name) => compose.services[name]?.build);
  const ports = Object.fromEntries(await Promise.all(built.map(async (name) => [name, await freePort()] as const)));
  let redisUrl: string | undefined;
  if (existsSync('/usr/bin/redis-server')) {
    const port = await freePort();
    extra.push(
      spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }),
    );
    redisUrl = `redis://127.0.0.1:${port}`;
  }
  const uid = process.getuid?.() === 0 ? NODE_UID : undefined;
  for (const name of built) {
    const service = compose.services[name]!;
    // Compose starts a service once what it depends on is healthy.
    const deps = Object.keys(service.depends_on ?? {});
    await Promise.all(running.filter((r) => deps.includes(r.name)).map((r) => untilReady(r)));
    const image = builder.build(stages.at(-1)!.name, service.build?.args ?? {});
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', ...image.env };
    for (const [key, value] of Object.entries(service.environment ?? {})) {
      if (key.startsWith('OTEL_EXPORTER_OTLP')) continue;
      let wired = String(value);
      for (const other of built) wired = wired.replace(new RegExp(`//${other}:\\d+`), `//127.0.0.1:${ports[other]}`);
      env[key] = wired;
    }
    if (env.REDIS_URL) {
      if (redisUrl) env.REDIS_URL = redisUrl;
      else delete env.REDIS_URL;
    }
    Object.assign(env, { PORT: String(ports[name]), HOST: '127.0.0.1' });
    const [command, ...args] = image.cmd;
    const child = spawn(command === 'node' ? process.execPath : command!, args, {
      cwd: join(image.rootfs, image.workdir),
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(uid !== undefined && image.user === 'node' ? { uid, gid: uid } : {}),
    });
    const entry: Running = {
      name,
      url: `http://127.0.0.1:${ports[name]}`,
      child,
      image,
      env,
      args: service.build?.args ?? {},
      stderr: [],
    };
    child.stderr?.on('data', (chunk: Buffer) => entry.stderr.push(chunk.toString()));
    running.push(entry);
  }
  await Promise.all(running.map((r) => untilReady(r)));
}, 15 * 60_000);

afterAll(async () => {
  await Promise.all(
    [...running.map((r) => r.child), ...extra].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  rmSync(work, { recursive: true, force: true });
});

describe('the Dockerfile and docker-compose.yml, run without Docker', () => {
  it('starts every service compose builds, in production mode, until /readyz answers 200', () => {
    expect(running.map((r) => r.name).sort()).toEqual(
      [
        'identity',
        'accounts',
        'products',
        'reviews',
        'inventory',
        'orders',
        'pricing',
        'recommendations',
        'gateway',
        'bff-web',
        'bff-mobile',
      ].sort(),
    );
    for (const service of running) {
      expect(service.env.NODE_ENV, service.name).toBe('production');
      expect(service.child.exitCode, service.name).toBeNull();
    }
  });

  it('answers a query through the gateway', async () => {
    const gateway = running.find((r) => r.name === 'gateway')!;
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ topProducts(first: 2) { upc name } }' }),
    });
    const body = (await response.json()) as {
      data?: { topProducts: Array<{ upc: string; name: string }> };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    expect(body.data?.topProducts).toHaveLength(2);
    expect(body.data?.topProducts[0]?.name).toEqual(expect.any(String));
  });

  it("passes each image's HEALTHCHECK, whose port is baked into the image", () => {
    for (const service of running) {
      expect(service.image.env.PORT, service.name).toBe(service.args.PORT);
      const [command, ...args] = service.image.healthcheck!;
      expect(() =>
        execFileSync(command === 'node' ? process.execPath : command!, args, { env: service.env, timeout: 10_000 }),
      ).not.toThrow();
    }
  });

  it('runs the compiled JS as the node user, with production dependencies only and no sources, tests, benchmark or docs', () => {
    const image = running[0]!.image;
    expect(image.cmd).toContain('dist/main.js');
    expect(image.user).toBe('node');
    if (process.getuid?.() === 0) {
      for (const service of running) {
        const status = readFileSync(`/proc/${service.child.pid}/status`, 'utf8');
        expect(status, service.name).toMatch(new RegExp(`^Uid:\\s+${NODE_UID}\\s`, 'm'));
      }
    }
    const app = join(image.rootfs, 'app');
    const files = readdirSync(app, { recursive: true, encoding: 'utf8' }).filter((f) => !f.includes('node_modules'));
    expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /\.test\.|(^|\/)(bench|docs)(\/|$)/.test(f))).toEqual([]);
    expect(readdirSync(join(app, 'test'))).toEqual(['package.json']);
    expect(existsSync(join(app, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/vitest'))).toBe(false);
  });
});
