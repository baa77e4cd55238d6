// The differential tests' harness: the real subgraphs (and the listings test subgraph) on free
// ports, one supergraph composed from them, and over it both Edgeway's gateway and a vanilla
// Apollo Gateway in a process of its own (vanillaGateway.ts), asked the same questions.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { composeServices } from '@apollo/composition';
import { createTokenVerifier, type Logger } from '@edgeway/platform';
import { createTestIssuer } from '@edgeway/platform/testing';
import { parse } from 'graphql';
import type { GatewayApp } from '../src/app.js';
import { SUBGRAPHS } from '../src/subgraphs.js';
import { startSubgraphs, startTestGateway } from '../src/testing.js';
import { buildListings, LISTINGS_SDL } from './listings.js';

const require = createRequire(import.meta.url);
const ROOT = new URL('../..', import.meta.url).pathname;

export interface Answer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}
/** A loopback URL nothing listens on: the port was free a moment ago. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/graphql`;
}

export type Ask = (query: string, variables?: Record<string, unknown>) => Promise<Answer>;

export interface Tier {
  /** Each subgraph's /graphql URL, by name. */
  urls: Record<string, string>;
  supergraphPath: string;
  close(): Promise<void>;
}

/** The five subgraphs and the listings subgraph, and the supergraph composed over their URLs. */
export async function startTier(logger: Logger): Promise<Tier> {
  const real = await startSubgraphs(logger);
  const listings = await buildListings(logger);
  await listings.app.listen({ port: 0, host: '127.0.0.1' });
  const urls: Record<string, string> = {
    ...real.urls,
    listings: `http://127.0.0.1:${(listings.app.server.address() as AddressInfo).port}/graphql`,
  };
  const sdl = (name: string) => readFileSync(require.resolve(`@edgeway/subgraph-${name}/schema.graphql`), 'utf8');
  const composed = composeServices([
    ...SUBGRAPHS.map(({ name }) => ({ name, url: urls[name], typeDefs: parse(sdl(name)) })),
    { name: 'listings', url: urls.listings, typeDefs: parse(LISTINGS_SDL) },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const dir = mkdtempSync(join(tmpdir(), 'edgeway-differential-'));
  const supergraphPath = join(dir, 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl);
  return {
    urls,
    supergraphPath,
    async close() {
      await Promise.all([real.close(), listings.app.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A subgraph behind a proxy that keeps every request body it forwards. */
export interface Recorder {
  url: string;
  bodies: string[];
  close(): Promise<void>;
}

export async function recordingProxy(target: string): Promise<Recorder> {
  const bodies: string[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
      }
      fetch(target, { method: 'POST', headers, body })
        .then(async (answer) => {
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(await answer.text());
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface Pair {
  edgeway: Ask;
  vanilla: Ask;
  gateway: GatewayApp;
  close(): Promise<void>;
}

/** Edgeway's gateway and vanilla Apollo Gateway over the tier; `overrides` reroute subgraphs for both. */
export async function startPair(tier: Tier, logger: Logger, overrides: Record<string, string> = {}): Promise<Pair> {
  const issuer = await createTestIssuer();
  const verify = createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey });
  const gateway = await startTestGateway(
    { supergraphPath: tier.supergraphPath, subgraphUrls: overrides },
    { logger, verify },
  );
  const vanilla = await startVanilla(tier.supergraphPath, overrides).catch(async (error: unknown) => {
    await gateway.app.close();
    await gateway.stop();
    throw error;
  });
  return {
    gateway,
    async edgeway(query, variables = {}) {
      const response = await gateway.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json' },
        payload: { query, variables },
      });
      return response.json() as Answer;
    },
    async vanilla(query, variables = {}) {
      const response = await fetch(vanilla.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as Answer;
    },
    async close() {
      await vanilla.close();
      await gateway.app.close();
      await gateway.stop();
    },
  };
}

async function startVanilla(supergraphPath: string, overrides: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['--conditions=edgeway-source', '--import', 'tsx', new URL('./vanillaGateway.ts', import.meta.url).pathname],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        APOLLO_TELEMETRY_DISABLED: 'true',
        SUPERGRAPH_PATH: supergraphPath,
        SUBGRAPH_URLS: JSON.stringify(overrides),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vanilla gateway did not start in 60 s: ${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`vanilla gateway exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{"url"')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  return {
    url,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
