import type { ChaosDirective, Upstream } from '@edgeway/platform';

/** A live price as the pricing service answers it. */
export interface LivePrice {
  upc: string;
  /** Minor units (cents), after the promotion if any. */
  amount: number;
  currency: string;
  promotion: { code: string; percentOff: number } | null;
}

/** `GET /v1/prices?upc=1&upc=2`: prices of the known upcs; unknown upcs are left out. */
export interface PricesResponse {
  prices: LivePrice[];
}

export interface CallOptions {
  /** Headers to forward (request id, ...). */
  headers?: Record<string, string | undefined>;
  /** This request's injected fault for pricing (x-chaos, development only). */
  chaos?: ChaosDirective | undefined;
}

export interface PricingClient {
  /** Prices many products in ONE call; the map has no entry for an unknown upc. */
  getPrices(upcs: readonly string[], options?: CallOptions): Promise<Map<string, LivePrice>>;
}

/** Most upcs one call may ask for (the service rejects more with 400). */
export const MAX_UPCS_PER_CALL = 100;

export function createPricingClient(upstream: Upstream): PricingClient {
  return {
    async getPrices(upcs, options = {}) {
      const prices = new Map<string, LivePrice>();
      if (upcs.length === 0) return prices;
      const unique = [...new Set(upcs)];
      const chunks: string[][] = [];
      for (let i = 0; i < unique.length; i += MAX_UPCS_PER_CALL) chunks.push(unique.slice(i, i + MAX_UPCS_PER_CALL));
      const answers = await Promise.all(
        chunks.map((chunk) =>
          upstream.json<PricesResponse>({
            path: '/v1/prices',
            query: { upc: chunk },
            headers: options.headers,
            chaos: options.chaos,
          }),
        ),
      );
      for (const { body } of answers) for (const price of body.prices ?? []) prices.set(price.upc, price);
      return prices;
    },
  };
}
