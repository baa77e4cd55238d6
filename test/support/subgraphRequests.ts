import { expect } from 'vitest';
import type { ServiceName } from '../../scripts/system.js';
import { graphql } from './client.js';
import { newTraceparent, sharedTrace, wholeTrace } from './telemetry.js';

export const SUBGRAPHS = ['accounts', 'products', 'reviews', 'inventory', 'orders'] as const;
export type SubgraphCounts = Record<(typeof SUBGRAPHS)[number], number>;

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
  screens: ReadonlyArray<{ query: string; expected: readonly string[] }>,
): Promise<SubgraphCounts[]> {
  const clients = [];
  for (const { query } of screens) {
    const client = newTraceparent();
    const answer = await graphql(service, query, { token, headers: { traceparent: client.header } });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.extensions?.degraded).toBeUndefined();
    clients.push(client);
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return Promise.all(
    screens.map(async ({ expected }, i) => {
      const client = clients[i]!;
      const spans = await sharedTrace(client.traceId, wholeTrace(client, [service, 'gateway', ...expected]));
      const served = (subgraph: string) => spans.filter((s) => s.service === subgraph && s.kind === 2).length;
      return Object.fromEntries(SUBGRAPHS.map((subgraph) => [subgraph, served(subgraph)])) as SubgraphCounts;
    }),
  );
}

export const total = (counts: SubgraphCounts) => SUBGRAPHS.reduce((sum, subgraph) => sum + counts[subgraph], 0);
