import DataLoader from 'dataloader';
import type { ReviewRecord } from './data.js';
import type { ReviewStore } from './store.js';

export interface Loaders {
  review: DataLoader<string, ReviewRecord | null>;
  /** A product's reviews, newest first. */
  reviewsByProduct: DataLoader<string, ReviewRecord[]>;
  /** A user's reviews, newest first. */
  reviewsByAuthor: DataLoader<string, ReviewRecord[]>;
}

export interface SubgraphContext {
  /** The caller, from the gateway's signed credential; undefined for anonymous callers. */
  userId?: string;
  requestId: string;
  loaders: Loaders;
}

/** Built once per request, so DataLoader caches never outlive (or leak across) a request. */
export function createContext(store: ReviewStore, caller: { userId?: string; requestId: string }): SubgraphContext {
  return {
    ...caller,
    loaders: {
      review: new DataLoader((ids) => store.byIds(ids)),
      reviewsByProduct: new DataLoader((upcs) => store.byProducts(upcs)),
      reviewsByAuthor: new DataLoader((userIds) => store.byAuthors(userIds)),
    },
  };
}
