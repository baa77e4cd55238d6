import { REVIEWS, type ReviewRecord } from './data.js';

/**
 * Where reviews live. Every lookup takes many keys at once so per-request DataLoaders turn a
 * query's scattered reads into one call; a database would plug in here.
 */
export interface ReviewStore {
  /** One entry per id, in the order asked, null where no review has that id. */
  byIds(ids: readonly string[]): Promise<Array<ReviewRecord | null>>;
  /** Each product's reviews, newest first. */
  byProducts(upcs: readonly string[]): Promise<ReviewRecord[][]>;
  /** Each author's reviews, newest first. */
  byAuthors(userIds: readonly string[]): Promise<ReviewRecord[][]>;
}

const newestFirst = (a: ReviewRecord, b: ReviewRecord) =>
  b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);

function groupBy(reviews: readonly ReviewRecord[], key: (review: ReviewRecord) => string) {
  const groups = new Map<string, ReviewRecord[]>();
  for (const review of [...reviews].sort(newestFirst)) {
    const group = groups.get(key(review));
    if (group) group.push(review);
    else groups.set(key(review), [review]);
  }
  return (keys: readonly string[]) => keys.map((k) => [...(groups.get(k) ?? [])]);
}

export function createSeedStore(reviews: readonly ReviewRecord[] = REVIEWS): ReviewStore {
  const byId = new Map(reviews.map((review) => [review.id, review]));
  const byProduct = groupBy(reviews, (review) => review.productUpc);
  const byAuthor = groupBy(reviews, (review) => review.authorId);
  return {
    byIds: async (ids) => ids.map((id) => byId.get(id) ?? null),
    byProducts: async (upcs) => byProduct(upcs),
    byAuthors: async (userIds) => byAuthor(userIds),
  };
}
