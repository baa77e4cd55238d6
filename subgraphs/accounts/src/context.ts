import DataLoader from 'dataloader';
import type { UserRecord } from './data.js';
import type { UserStore } from './store.js';

export interface Loaders {
  user: DataLoader<string, UserRecord | null>;
}

export interface SubgraphContext {
  /** The caller, from the gateway's signed credential; undefined for anonymous callers. */
  userId?: string;
  requestId: string;
  store: UserStore;
  loaders: Loaders;
}

/** Built once per request, so DataLoader caches never outlive (or leak across) a request. */
export function createContext(store: UserStore, caller: { userId?: string; requestId: string }): SubgraphContext {
  return {
    ...caller,
    store,
    loaders: { user: new DataLoader((ids) => store.byIds(ids)) },
  };
}
