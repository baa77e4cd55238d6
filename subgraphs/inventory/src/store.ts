import { STOCK } from './data.js';

/**
 * Where stock levels live. Lookups take many upcs at once so a per-request DataLoader turns a
 * query's scattered reads into one call; a warehouse system would plug in here.
 */
export interface StockStore {
  /** Units on hand per upc, in the order asked, null where the upc is unknown. */
  unitsOnHand(upcs: readonly string[]): Promise<Array<number | null>>;
}

export function createSeedStore(stock: Readonly<Record<string, number>> = STOCK): StockStore {
  return {
    unitsOnHand: async (upcs) => upcs.map((upc) => (Object.hasOwn(stock, upc) ? stock[upc]! : null)),
  };
}
