import DataLoader from 'dataloader';
import type { OrderRecord } from './data.js';
import type { OrderStore } from './store.js';

export interface Loaders {
  order: DataLoader<string, OrderRecord | null>;
  /** A user's orders, most recent first. */
  ordersByUser: DataLoader<string, OrderRecord[]>;
}

export interface SubgraphContext {
  /** The caller, from the gateway's signed credential; undefined for anonymous callers. */
  userId?: string;
  requestId: string;
  loaders: Loaders;
}

/** Built once per request, so DataLoader caches never outlive (or leak across) a request. */
export function createContext(store: OrderStore, caller: { userId?: string; requestId: string }): SubgraphContext {
  return {
    ...caller,
    loaders: {
      order: new DataLoader((ids) => store.byIds(ids)),
      ordersByUser: new DataLoader((userIds) => store.byUsers(userIds)),
    },
  };
}
