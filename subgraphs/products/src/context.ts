import DataLoader from 'dataloader';
import type { ProductRecord } from './data.js';
import type { ProductStore } from './store.js';

export interface Loaders {
  product: DataLoader<string, ProductRecord | null>;
}

export interface SubgraphContext {
  /** The caller, from the gateway's signed credential; undefined for anonymous callers. */
  userId?: string;
  requestId: string;
  store: ProductStore;
  loaders: Loaders;
}

/** Built once per request, so DataLoader caches never outlive (or leak across) a request. */
export function createContext(store: ProductStore, caller: { userId?: string; requestId: string }): SubgraphContext {
  return {
    ...caller,
    store,
    loaders: { product: new DataLoader((upcs) => store.byUpcs(upcs)) },
  };
}
