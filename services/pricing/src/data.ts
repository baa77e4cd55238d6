import type { LivePrice } from './client.js';

export interface PriceEntry {
  /** List price in minor units (cents), the same figure the products subgraph shows as `price`. */
  base: number;
  promotion: { code: string; percentOff: number } | null;
}

/** upc -> price entry. */
export type PriceTable = ReadonlyMap<string, PriceEntry>;

const CURRENCY = 'USD';

/**
 * Seed prices for upcs "1".."12". Base amounts mirror the catalog's list prices; a few upcs
 * carry a promotion so clients can tell a live price from the list price.
 */
export const SEED_PRICES: PriceTable = new Map<string, PriceEntry>([
  ['1', { base: 34900, promotion: null }],
  ['2', { base: 129900, promotion: { code: 'SPRING10', percentOff: 10 } }],
  ['3', { base: 8900, promotion: null }],
  ['4', { base: 4500, promotion: null }],
  ['5', { base: 45900, promotion: { code: 'CLEARANCE25', percentOff: 25 } }],
  ['6', { base: 18900, promotion: null }],
  ['7', { base: 64900, promotion: { code: 'SPRING10', percentOff: 10 } }],
  ['8', { base: 15900, promotion: null }],
  ['9', { base: 104900, promotion: null }],
  ['10', { base: 7900, promotion: { code: 'CLEARANCE25', percentOff: 25 } }],
  ['11', { base: 119900, promotion: null }],
  ['12', { base: 3900, promotion: null }],
]);

/** The amount a customer pays: the base less the promotion, rounded to the nearest cent. */
export function discounted(base: number, percentOff: number): number {
  return Math.round((base * (100 - percentOff)) / 100);
}

/** Live prices of `upcs` in the order asked, each upc once; unknown upcs are left out. */
export function priceAll(table: PriceTable, upcs: readonly string[]): LivePrice[] {
  const prices: LivePrice[] = [];
  for (const upc of new Set(upcs)) {
    const entry = table.get(upc);
    if (!entry) continue;
    const amount = entry.promotion ? discounted(entry.base, entry.promotion.percentOff) : entry.base;
    prices.push({ upc, amount, currency: CURRENCY, promotion: entry.promotion ? { ...entry.promotion } : null });
  }
  return prices;
}
