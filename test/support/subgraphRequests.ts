import { expect } from 'vitest';
import type { ServiceName } from '../../scripts/system.js';
import { graphql } from './client.js';
import { newTraceparent, sharedTrace, wholeTrace } from './telemetry.js';

export const SUBGRAPHS = ['accounts', 'products', 'reviews', 'inventory', 'orders'] as const;
export type SubgraphCounts = Record<(typeof SUBGRAPHS)[number], number>;

/** A screen query, and the services its trace must hold before it is read. */
interface Screen {
  query: string;
  expected: readonly string[];
}

/** How long a late export could still be on the way: a few batch delays (OTEL_BSP_SCHEDULE_DELAY=500). */
const SETTLE_MS = 2_000;

/**
 * Runs each screen query once, in its own sampled trace, and counts the requests each subgraph
 * served for it: its server spans in that trace (a trace is one screen whatever else the shared
 * system serves meanwhile). `expected` names the services each trace must hold before it is read.
 */
export async function subgraphRequestsPerScreen(
  service: ServiceName,
  token: string,
  screens: readonly [Screen, Screen],
): Promise<[SubgraphCounts, SubgraphCounts]> {
  const clients: Array<ReturnType<typeof newTraceparent>> = [];
  for (const { query } of screens) {
    const client = newTraceparent();
    const answer = await graphql(service, query, { token, headers: { traceparent: client.header } });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.extensions?.degraded).toBeUndefined();
    clients.push(client);
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const count = async ({ expected }: Screen, i: number) => {
    const client = clients[i]!;
    const spans = await sharedTrace(client.traceId, wholeTrace(client, [service, 'gateway', ...expected]));
    const served = (subgraph: string) => spans.filter((s) => s.service === subgraph && s.kind === 2).length;
    return Object.fromEntries(SUBGRAPHS.map((subgraph) => [subgraph, served(subgraph)])) as SubgraphCounts;
  };
  return Promise.all([count(screens[0], 0), count(screens[1], 1)]);
}

export const total = (counts: SubgraphCounts) => SUBGRAPHS.reduce((sum, subgraph) => sum + counts[subgraph], 0);
