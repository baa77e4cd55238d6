import { type GraphQLClient, type GraphQLResponse, UpstreamError } from '@edgeway/platform';
import { createFakeGraphQLClient } from '@edgeway/platform/testing';
import type { LivePrice, PricingClient } from '@edgeway/pricing/client';
import type { RecommendationsClient } from '@edgeway/recommendations/client';
import { type GraphQLFormattedError, Kind } from 'graphql';
import type { Upstreams } from '../context.js';
import type { Subgraph } from '../fields.js';
import { callerOf, fakeGatewaySchema, PRODUCTS } from './gateway.js';

export type Dependency = 'gateway' | 'pricing' | 'recommendations';

export interface FakeOptions {
  /**
   * Dependencies that fail every call, as a taken-down one does for real (`x-chaos: <name>=down`):
   * an UpstreamError with reason UPSTREAM_ERROR.
   */
  down?: Dependency[];
  /** Subgraphs behind the fake gateway whose fields fail (partial results with errors). */
  subgraphsDown?: Subgraph[];
  /**
   * Report subgraph failures as Edgeway's gateway does for an unreachable subgraph: one error
   * without a path, naming the dependency. @default false (errors at the failed fields' paths)
   */
  pathlessErrors?: boolean;
  /**
   * What the gateway's Cache-Control allows for its answers without errors (the real gateway
   * says `no-store` for the others). @default none: nothing may be kept
   */
  cacheHint?: GraphQLResponse<unknown>['cacheHint'];
  /** How long each dependency's calls take. @default 5 ms each */
  delayMs?: Partial<Record<Dependency, number>>;
}

/** Pricing knows upcs 1..10 (10% off the list price); 11 and 12 have no live price. */
export const livePriceOf = (upc: string): LivePrice | undefined => {
  const product = PRODUCTS.find((p) => p.upc === upc);
  if (!product || Number(upc) > 10) return undefined;
  return { upc, amount: Math.round(product.price * 0.9), currency: 'USD', promotion: { code: 'TEN', percentOff: 10 } };
};
export const PICKS: Record<string, string[]> = { '1': ['7', '3', '9'], '2': ['4'] };
export const relatedTo = (upc: string) => ['2', '4', '12'].filter((other) => other !== upc);

function withoutPaths(errors: readonly GraphQLFormattedError[]): GraphQLFormattedError[] {
  const dependencies = new Set(errors.map((error) => String(error.extensions?.serviceName)));
  return [...dependencies].map((dependency) => ({
    message: `${dependency} is unavailable`,
    extensions: { code: 'DEPENDENCY_UNAVAILABLE', dependency, reason: 'UPSTREAM_ERROR' },
  }));
}

/**
 * Fake gateway, pricing and recommendations clients that record every call and, in `events`,
 * when each started and ended (each takes a few ms), so tests can assert batching and parallelism.
 */
export function createFakeUpstreams(repoRoot: URL, options: FakeOptions = {}) {
  const events: string[] = [];
  const down = new Set(options.down);
  const calls = {
    pricing: [] as Array<{ upcs: string[]; headers: Record<string, string | undefined> }>,
    recommendations: [] as Array<{ kind: 'forUser' | 'relatedTo'; id: string; limit: number }>,
  };
  async function call<T>(dependency: Dependency, label: string, run: () => T | Promise<T>): Promise<T> {
    events.push(`start ${label}`);
    await new Promise((resolve) => setTimeout(resolve, options.delayMs?.[dependency] ?? 5));
    try {
      if (down.has(dependency)) throw new UpstreamError(dependency, 'UPSTREAM_ERROR', 'down (x-chaos)');
      return await run();
    } finally {
      events.push(`end ${label}`);
    }
  }

  const graphql = createFakeGraphQLClient({
    schema: fakeGatewaySchema(repoRoot, new Set(options.subgraphsDown)),
    context: (headers) => callerOf(headers.authorization),
  });
  const gateway: GraphQLClient = {
    execute: (document, variables, callOptions) => {
      const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
      return call('gateway', `gateway ${operation?.name?.value}`, async () => {
        const answer = await graphql.execute(document, variables, callOptions);
        if (options.cacheHint && answer.errors.length === 0) answer.cacheHint = options.cacheHint;
        return options.pathlessErrors ? { ...answer, errors: withoutPaths(answer.errors) } : answer;
      });
    },
  };
  const pricing: PricingClient = {
    getPrices: (upcs, callOptions = {}) => {
      calls.pricing.push({ upcs: [...upcs], headers: { ...callOptions.headers } });
      return call('pricing', 'pricing', () => {
        const prices = new Map<string, LivePrice>();
        for (const upc of upcs) {
          const price = livePriceOf(upc);
          if (price) prices.set(upc, price);
        }
        return prices;
      });
    },
  };
  const recommendations: RecommendationsClient = {
    forUser: (userId, limit) => {
      calls.recommendations.push({ kind: 'forUser', id: userId, limit });
      return call('recommendations', 'recommendations', () =>
        (PICKS[userId] ?? []).slice(0, limit).map((upc, i) => ({ upc, score: 1 - i / 10 })),
      );
    },
    relatedTo: (upc, limit) => {
      calls.recommendations.push({ kind: 'relatedTo', id: upc, limit });
      return call('recommendations', 'recommendations', () =>
        relatedTo(upc)
          .slice(0, limit)
          .map((other, i) => ({ upc: other, score: 1 - i / 10 })),
      );
    },
  };
  const upstreams: Upstreams = { gateway, pricing, recommendations };
  // `down` is live: a test may take a dependency down (or bring it back) between requests.
  return { upstreams, events, down, calls: { gateway: graphql.calls, ...calls } };
}
