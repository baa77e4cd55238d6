import { MAX_PAGE_SIZE } from '@edgeway/platform';
import { describe, expect, it } from 'vitest';
import { pageWithNext } from './pages.js';

/** A keyset list of `size` numbers that, like the subgraphs, refuses more than MAX_PAGE_SIZE per call. */
function list(size: number) {
  const all = Array.from({ length: size }, (_, i) => i + 1);
  const asked: number[] = [];
  const page = async (count: number, after = 0) => {
    if (count > MAX_PAGE_SIZE) throw new Error(`first must be between 0 and ${MAX_PAGE_SIZE}`);
    asked.push(count);
    return all.filter((n) => n > after).slice(0, count);
  };
  return { page, asked };
}

describe('pageWithNext', () => {
  it.each([
    [5, 12, true, [6]],
    [12, 12, false, [13]],
    [11, 12, true, [12]],
    [0, 12, true, [1]],
    [MAX_PAGE_SIZE - 1, 250, true, [MAX_PAGE_SIZE]],
  ])('asks one more than a page of %i (of %i): hasNextPage %s', async (first, size, next, asked) => {
    const upstream = list(size);
    const result = await pageWithNext(
      first,
      (count) => upstream.page(count),
      async () => {
        throw new Error('not needed');
      },
    );
    expect(result.items).toHaveLength(Math.min(first, size));
    expect(result.hasNextPage).toBe(next);
    expect(upstream.asked).toEqual(asked);
  });

  it.each([
    [MAX_PAGE_SIZE + 1, true],
    [MAX_PAGE_SIZE, false],
  ])('serves the largest page within the limit: of %i items, hasNextPage %s', async (size, next) => {
    const upstream = list(size);
    const result = await pageWithNext(
      MAX_PAGE_SIZE,
      (count) => upstream.page(count),
      async (last) => (await upstream.page(1, last)).length > 0,
    );
    expect(result.items).toHaveLength(MAX_PAGE_SIZE);
    expect(result.hasNextPage).toBe(next);
    expect(upstream.asked).toEqual([MAX_PAGE_SIZE, 1]);
  });

  it('does not ask what follows a largest page that came back short', async () => {
    const upstream = list(40);
    const result = await pageWithNext(
      MAX_PAGE_SIZE,
      (count) => upstream.page(count),
      async () => true,
    );
    expect(result).toMatchObject({ hasNextPage: false });
    expect(upstream.asked).toEqual([MAX_PAGE_SIZE]);
  });
});
