import { describe, expect, it } from 'vitest';
import type { Degradation } from '../resilience/degradation.js';
import { groupDegraded } from './degradedGroups.js';

const price = (path: Array<string | number>, reason: Degradation['reason'] = 'TIMEOUT'): Degradation => ({
  path,
  dependency: 'pricing',
  reason,
  fallback: 'LIST_PRICE',
});

describe('groupDegraded', () => {
  it('keeps a lone entry exactly as recorded, without a count', () => {
    const picks: Degradation = {
      path: ['home', 'recommended'],
      dependency: 'recommendations',
      reason: 'CIRCUIT_OPEN',
      fallback: 'EMPTY',
    };
    expect(groupDegraded([picks, price(['home', 'topProducts', 2, 'price'])])).toEqual([
      picks,
      price(['home', 'topProducts', 2, 'price']),
    ]);
  });

  it("makes one outage over a list's items one entry with the list path and a count", () => {
    const entries = [0, 1, 2, 3, 4].map((i) => price(['home', 'topProducts', i, 'price']));
    expect(groupDegraded(entries)).toEqual([
      {
        path: ['home', 'topProducts', '*', 'price'],
        dependency: 'pricing',
        reason: 'TIMEOUT',
        fallback: 'LIST_PRICE',
        count: 5,
      },
    ]);
  });

  it('keeps lists, dependencies, reasons and fallbacks apart, in first-seen order', () => {
    const entries = [
      price(['home', 'topProducts', 0, 'price']),
      price(['home', 'recommended', 0, 'price']),
      price(['home', 'topProducts', 1, 'price']),
      price(['home', 'recommended', 1, 'price'], 'CIRCUIT_OPEN'),
      { ...price(['home', 'topProducts', 2, 'rating']), dependency: 'reviews', fallback: 'NULL' as const },
    ];
    expect(groupDegraded(entries).map((e) => [e.path.join('.'), e.reason, e.count])).toEqual([
      ['home.topProducts.*.price', 'TIMEOUT', 2],
      ['home.recommended.0.price', 'TIMEOUT', undefined],
      ['home.recommended.1.price', 'CIRCUIT_OPEN', undefined],
      ['home.topProducts.2.rating', 'TIMEOUT', undefined],
    ]);
  });

  it('keeps the indexes every member shares, and wildcards only those that vary', () => {
    const inFirstOrder = [0, 1, 2].map((j) => price(['dashboard', 'recentOrders', 0, 'items', j, 'product', 'price']));
    expect(groupDegraded(inFirstOrder)[0]?.path).toEqual([
      'dashboard',
      'recentOrders',
      0,
      'items',
      '*',
      'product',
      'price',
    ]);
    const acrossOrders = [
      price(['d', 'o', 0, 'i', 0, 'p']),
      price(['d', 'o', 1, 'i', 0, 'p']),
      price(['d', 'o', 1, 'i', 1, 'p']),
    ];
    expect(groupDegraded(acrossOrders)).toEqual([{ ...price(['d', 'o', '*', 'i', '*', 'p']), count: 3 }]);
  });
});
