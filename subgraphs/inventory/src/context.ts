import DataLoader from 'dataloader';
import type { StockStore } from './store.js';

export interface Loaders {
  unitsOnHand: DataLoader<string, number | null>;
}

export interface SubgraphContext {
  /** The caller, from the gateway's signed credential; undefined for anonymous callers. */
  userId?: string;
  requestId: string;
  loaders: Loaders;
}

/** Built once per request, so DataLoader caches never outlive (or leak across) a request. */
export function createContext(store: StockStore, caller: { userId?: string; requestId: string }): SubgraphContext {
  return {
    ...caller,
    loaders: { unitsOnHand: new DataLoader((upcs) => store.unitsOnHand(upcs)) },
  };
}
