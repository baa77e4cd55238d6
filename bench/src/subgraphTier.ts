// The benchmark's subgraph tier (bench/subgraphs/server.ts): started with the supergraph its
// gateways serve, and read: requests it received, and how fast it answers on its own.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeBenchSupergraph } from '../subgraphs/supergraph.js';
import { runLoad } from './load.js';
import { freePort } from './net.js';
import { type Started, startProcess } from './proc.js';
import { ROOT } from './targets.js';

export interface SubgraphTier {
  process: Started;
  url: string;
  /** The supergraph over this tier, composed into `work`. */
  supergraphPath: string;
}

/** Starts the four subgraphs on a free port and writes the supergraph that routes to them. */
export async function startSubgraphTier(options: {
  work: string;
  cpus: string;
  /** Answers say `Cache-Control: max-age=N, public` (for a gateway with its response cache on). */
  cacheMaxAgeS?: number;
}): Promise<SubgraphTier> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const process = await startProcess({
    name: 'subgraphs',
    command: 'node',
    args: ['--import', 'tsx', 'subgraphs/main.ts'],
    cwd: `${ROOT}/bench`,
    cpus: options.cpus,
    env: { PORT: String(port), ...(options.cacheMaxAgeS ? { CACHE_MAX_AGE_S: String(options.cacheMaxAgeS) } : {}) },
    readyUrl: `${url}/health`,
  });
  const supergraphPath = join(options.work, 'supergraph.graphql');
  writeFileSync(supergraphPath, composeBenchSupergraph(url));
  return { process, url, supergraphPath };
}

export interface SubgraphCeiling {
  requestsPerSecond: number;
  operationsPerSecond: number;
  requestsPerOperation: number;
}

export type SubgraphBodies = Record<string, string[]>;

async function stats(url: string, withBodies = false): Promise<{ total: number; bodies: SubgraphBodies }> {
  const answer = (await (await fetch(`${url}/stats${withBodies ? '?bodies=1' : ''}`)).json()) as {
    requests: Record<string, number>;
    bodies?: SubgraphBodies;
  };
  return { total: Object.values(answer.requests).reduce((a, b) => a + b, 0), bodies: answer.bodies ?? {} };
}

/** The distinct bodies each subgraph has been sent so far. */
export async function subgraphBodies(url: string): Promise<SubgraphBodies> {
  return (await stats(url, true)).bodies;
}

/** Requests the subgraph tier has received since it started. */
export async function subgraphRequestTotal(url: string): Promise<number> {
  return (await stats(url)).total;
}

/**
 * The subgraph tier alone: the distinct subgraph requests TestQuery made (as the gateways sent
 * them), replayed straight at the subgraphs with the same connections. Operations per second =
 * subgraph requests per second / requests per operation without deduplication.
 */
export async function measureSubgraphCeiling(
  subgraphUrl: string,
  bodies: SubgraphBodies,
  requestsPerOperation: number,
  options: { connections: number; sliceSeconds: number },
): Promise<SubgraphCeiling | undefined> {
  const requests = Object.entries(bodies).flatMap(([name, list]) => list.map((body) => ({ path: `/${name}`, body })));
  if (requests.length === 0 || !(requestsPerOperation > 0)) return undefined;
  let total = 0;
  let seconds = 0;
  for (const request of requests) {
    const slice = await runLoad({
      url: `${subgraphUrl}${request.path}`,
      body: request.body,
      connections: options.connections,
      seconds: Math.max(2, Math.round(options.sliceSeconds / requests.length)),
      verify: (text) => text.startsWith('{"data"'),
    });
    total += slice.requests;
    seconds += slice.seconds;
  }
  const requestsPerSecond = total / seconds;
  return { requestsPerSecond, requestsPerOperation, operationsPerSecond: requestsPerSecond / requestsPerOperation };
}
