import { MAX_PAGE_SIZE } from '@edgeway/platform';

/** One page of a list, and whether another follows it. */
export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
}

/**
 * A page of `first` items and whether another follows, from an upstream list that answers at
 * most `max` items per call (the page limit BFFs and subgraphs share). It asks for one more than
 * the page: whether that one comes back says whether another page follows. The largest page
 * cannot ask for one more, so when it comes back full, `follows(last)` asks whether anything
 * comes after its last item (one more, small call, for that page size only).
 */
export async function pageWithNext<T>(
  first: number,
  fetch: (count: number) => Promise<T[]>,
  follows: (last: T) => Promise<boolean>,
  max = MAX_PAGE_SIZE,
): Promise<Page<T>> {
  const fetched = await fetch(Math.min(first + 1, max));
  const items = fetched.slice(0, first);
  if (fetched.length > first) return { items, hasNextPage: true };
  const last = items.at(-1);
  const full = first === max && items.length === first && last !== undefined;
  return { items, hasNextPage: full ? await follows(last) : false };
}
