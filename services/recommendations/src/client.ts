import type { ChaosDirective, Upstream } from '@edgeway/platform';

export interface Recommendation {
  upc: string;
  /** Relevance in 0..1, highest first. */
  score: number;
}

/** `GET /v1/users/:id/recommendations?limit=` and `GET /v1/products/:upc/related?limit=`. */
export interface RecommendationsResponse {
  items: Recommendation[];
}

export interface CallOptions {
  headers?: Record<string, string | undefined>;
  /** This request's injected fault for recommendations (x-chaos, development only). */
  chaos?: ChaosDirective | undefined;
}

export interface RecommendationsClient {
  /** Picks for a user, best first; [] for a user the service does not know. */
  forUser(userId: string, limit: number, options?: CallOptions): Promise<Recommendation[]>;
  /** Products related to `upc`, best first; [] for an unknown product. */
  relatedTo(upc: string, limit: number, options?: CallOptions): Promise<Recommendation[]>;
}

async function items(upstream: Upstream, path: string, limit: number, options: CallOptions): Promise<Recommendation[]> {
  const { status, body } = await upstream.json<RecommendationsResponse>({
    path,
    query: { limit },
    headers: options.headers,
    chaos: options.chaos,
  });
  return status === 404 ? [] : (body.items ?? []);
}

export function createRecommendationsClient(upstream: Upstream): RecommendationsClient {
  return {
    forUser: (userId, limit, options = {}) =>
      items(upstream, `/v1/users/${encodeURIComponent(userId)}/recommendations`, limit, options),
    relatedTo: (upc, limit, options = {}) =>
      items(upstream, `/v1/products/${encodeURIComponent(upc)}/related`, limit, options),
  };
}
