import { createCache, createDegradationCollector, isUpstreamError, UpstreamError } from '@edgeway/platform';
import type { LivePrice } from '@edgeway/pricing/client';
import type { Recommendation } from '@edgeway/recommendations/client';
import type { GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createPriceLoader } from './loaders/prices.js';
import { createPicksLoader } from './loaders/recommendations.js';
import { loadScreen, servePicks } from './screen.js';

const fresh: PromiseSettledResult<unknown> = { status: 'fulfilled', value: [] };

describe('servePicks', () => {
  it('serves the cards found, leaving out unknown products', () => {
    expect(servePicks(fresh, ['a', null, 'b'])()).toEqual(['a', 'b']);
  });

  it("throws a card's failure (the gateway could not bring it)", () => {
    const failure = new UpstreamError('gateway', 'TIMEOUT', 'slow');
    expect(() => servePicks(fresh, ['a', failure])()).toThrow(failure);
  });

  it('throws the picks failure with the cards built from the last good picks, for a STALE fallback', () => {
    const failure = new UpstreamError('recommendations', 'UPSTREAM_ERROR', 'down');
    failure.stale = [{ upc: 'a', score: 1 }];
    let thrown: unknown;
    try {
      servePicks({ status: 'rejected', reason: failure }, ['a'])();
    } catch (error) {
      thrown = error;
    }
    expect(isUpstreamError(thrown) && thrown.stale).toEqual(['a']);
  });
});

/**
 * A screen of products 1 and 2 whose picks (3, 4) answer when the test releases them, on the
 * kit's real loaders, sharing one last-good cache across visits as a BFF does.
 */
function screenWithHeldPicks() {
  const lastGood = createCache({ namespace: 'screen-test' });
  const pricingCalls: string[][] = [];
  let release = () => {};
  const visit = async (options: { holdPicks: boolean }) => {
    const held = new Promise<void>((resolve) => (release = resolve));
    if (!options.holdPicks) release();
    const picks = createPicksLoader(
      {
        forUser: async (): Promise<Recommendation[]> => {
          await held;
          return [
            { upc: '3', score: 1 },
            { upc: '4', score: 0.5 },
          ];
        },
        relatedTo: async () => [],
      },
      { headers: {} },
      lastGood,
    );
    const prices = createPriceLoader(
      {
        getPrices: async (upcs) => {
          pricingCalls.push([...upcs]);
          return new Map(
            upcs.map((upc): [string, LivePrice] => [upc, { upc, amount: 1, currency: 'USD', promotion: null }]),
          );
        },
      },
      { headers: {} },
    );
    const ctx = { degradation: createDegradationCollector(), lastKnown: lastGood, loaders: { picks, prices } };
    const info = { path: { prev: undefined, key: 'screen', typename: 'Query' } } as GraphQLResolveInfo;
    return loadScreen(ctx as unknown as Parameters<typeof loadScreen>[0], info, {
      name: 'screen',
      shown: 'products',
      key: 'k',
      picks: { id: '1', limit: 2 },
      withPrices: true,
      query: async () => ['1', '2'],
      read: (shown) => ({ model: shown, shown, complete: true }),
      cards: async (upcs) => upcs,
    });
  };
  return { visit, release: () => release(), pricingCalls };
}

/** Whether `promise` settles within `ms`. */
const settlesWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(resolve, ms, false))]);

describe('loadScreen', () => {
  it('waits for the picks on a first visit, to price the screen and the picks in one call', async () => {
    const screen = screenWithHeldPicks();
    const loaded = screen.visit({ holdPicks: true });
    expect(await settlesWithin(loaded, 50)).toBe(false);
    screen.release();
    expect(await (await loaded).picks()).toEqual(['3', '4']);
    expect(screen.pricingCalls).toEqual([['1', '2', '3', '4']]);
  });

  it('serves the screen before its picks answer when the guess priced it, the picks after', async () => {
    const screen = screenWithHeldPicks();
    await (await screen.visit({ holdPicks: false })).picks();
    const loaded = await screen.visit({ holdPicks: true });
    expect(loaded.model).toEqual(['1', '2']);
    const picks = loaded.picks();
    expect(await settlesWithin(picks, 50)).toBe(false);
    screen.release();
    expect(await picks).toEqual(['3', '4']);
    // One pricing call per visit: the second on the guess (last products and last picks).
    expect(screen.pricingCalls).toEqual([
      ['1', '2', '3', '4'],
      ['1', '2', '3', '4'],
    ]);
  });
});
