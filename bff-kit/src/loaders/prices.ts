import type { LivePrice, PricingClient } from '@edgeway/pricing/client';
import DataLoader from 'dataloader';
import { failEach, traceBatch } from './batch.js';
import type { CallOptions } from './gateway.js';

/**
 * Live prices by upc: every upc a screen asks for in one tick goes out in ONE pricing call.
 * Never cached across requests: a LIVE price is the price now (pricing sends no Cache-Control).
 */
export function createPriceLoader(pricing: PricingClient, call: CallOptions): DataLoader<string, LivePrice | null> {
  return new DataLoader(
    async (upcs) => {
      traceBatch('pricing', upcs);
      try {
        const prices = await pricing.getPrices(upcs, call);
        return upcs.map((upc) => prices.get(upc) ?? null);
      } catch (error) {
        return failEach(upcs, error);
      }
    },
    { name: 'pricing.prices' },
  );
}
