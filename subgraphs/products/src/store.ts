import { PRODUCTS, type ProductRecord, TOP_RANKING } from './data.js';

/**
 * Where the catalog lives. Point lookups take many upcs at once so per-request DataLoaders turn
 * a query's scattered reads into one call; a database would plug in here.
 */
export interface ProductStore {
  /** One entry per upc, in the order asked, null where no product has that upc. */
  byUpcs(upcs: readonly string[]): Promise<Array<ProductRecord | null>>;
  /** Upcs of the curated top list, best first. */
  topRanking(): Promise<readonly string[]>;
  /** Up to `limit` products after `after` (exclusive) in numeric upc order; null when `after` is unknown. */
  page(limit: number, after: string | undefined): Promise<ProductRecord[] | null>;
}

const byNumericUpc = (a: ProductRecord, b: ProductRecord) =>
  Number(a.upc) - Number(b.upc) || a.upc.localeCompare(b.upc);

export function createSeedStore(
  products: readonly ProductRecord[] = PRODUCTS,
  ranking: readonly string[] = TOP_RANKING,
): ProductStore {
  const byUpc = new Map(products.map((product) => [product.upc, product]));
  const ordered = [...products].sort(byNumericUpc);
  return {
    byUpcs: async (upcs) => upcs.map((upc) => byUpc.get(upc) ?? null),
    topRanking: async () => ranking,
    page: async (limit, after) => {
      if (after === undefined) return ordered.slice(0, limit);
      const index = ordered.findIndex((product) => product.upc === after);
      return index === -1 ? null : ordered.slice(index + 1, index + 1 + limit);
    },
  };
}
