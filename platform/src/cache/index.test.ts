import { describe, expect, it } from 'vitest';
import { cacheRequests } from '../metrics/index.js';
import { createCache } from './index.js';

describe('createCache (memory)', () => {
  it('forgets the oldest entry when full, so it cannot grow without bound', async () => {
    const cache = createCache({ namespace: 'bounded-test', maxEntries: 2 });
    await cache.set('a', 1);
    await cache.set('b', 2);
    await cache.set('c', 3);
    expect(await cache.get('a')).toBeUndefined();
    expect([await cache.get('b'), await cache.get('c')]).toEqual([2, 3]);
  });

  it('forgets the oldest entries when their strings pass the byte bound', async () => {
    const cache = createCache({ namespace: 'bytes-test', maxBytes: 2_500, byReference: true });
    await cache.set('a', 'x'.repeat(1_000));
    await cache.set('b', 'y'.repeat(1_000));
    await cache.set('c', 'z'.repeat(1_000));
    expect(await cache.get('a')).toBeUndefined();
    expect((await cache.get<string>('c'))?.length).toBe(1_000);
  });

  it('measures values kept by reference with sizeOf', async () => {
    const cache = createCache({
      namespace: 'size-of-test',
      maxBytes: 2_500,
      byReference: true,
      sizeOf: (value) => (value as { body: Buffer }).body.length,
    });
    for (const key of ['a', 'b', 'c']) await cache.set(key, { body: Buffer.alloc(1_000) });
    expect(await cache.get('a')).toBeUndefined();
    expect((await cache.get<{ body: Buffer }>('c'))?.body.length).toBe(1_000);
  });

  it('keeps values as given with byReference, and copies them otherwise', async () => {
    const value = { big: 'x'.repeat(10) };
    const shared = createCache({ namespace: 'by-reference-test', byReference: true });
    const copied = createCache({ namespace: 'copied-test' });
    await shared.set('k', value);
    await copied.set('k', value);
    expect(await shared.get('k')).toBe(value);
    expect(await copied.get('k')).not.toBe(value);
    expect(await copied.get('k')).toEqual(value);
  });

  it('answers the first key that has a value, counting one hit or miss per lookup', async () => {
    const cache = createCache({ namespace: 'first-test', byReference: true });
    const count = async (result: string) =>
      (await cacheRequests.get()).values.find((v) => v.labels.cache === 'first-test' && v.labels.result === result)
        ?.value ?? 0;
    await cache.set('b', 'second');
    expect(await cache.getFirst(['a', 'b'])).toBe('second');
    await cache.set('a', 'first');
    expect(await cache.getFirst(['a', 'b'])).toBe('first');
    expect(await cache.getFirst(['x', 'y'])).toBeUndefined();
    expect([await count('hit'), await count('miss')]).toEqual([2, 1]);
  });

  it('expires entries after their time to live', async () => {
    const cache = createCache({ namespace: 'ttl-test', byReference: true });
    await cache.set('k', 'v', 20);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await cache.get('k')).toBeUndefined();
  });
});
