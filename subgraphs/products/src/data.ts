export interface ProductRecord {
  upc: string;
  name: string;
  /** List price in cents, USD. */
  price: number;
  /** Shipping weight in grams. */
  weight: number;
}

/** The catalog, in upc order. Upcs are shared with every other service's seed data. */
export const PRODUCTS: readonly ProductRecord[] = [
  { upc: '1', name: 'Table', price: 34900, weight: 28000 },
  { upc: '2', name: 'Couch', price: 129900, weight: 52000 },
  { upc: '3', name: 'Chair', price: 8900, weight: 6500 },
  { upc: '4', name: 'Lamp', price: 4500, weight: 2100 },
  { upc: '5', name: 'Desk', price: 45900, weight: 31000 },
  { upc: '6', name: 'Bookshelf', price: 18900, weight: 24000 },
  { upc: '7', name: 'Armchair', price: 64900, weight: 19000 },
  { upc: '8', name: 'Rug', price: 15900, weight: 9000 },
  { upc: '9', name: 'Bed Frame', price: 104900, weight: 60000 },
  { upc: '10', name: 'Mirror', price: 7900, weight: 7000 },
  { upc: '11', name: 'Wardrobe', price: 119900, weight: 85000 },
  { upc: '12', name: 'Stool', price: 3900, weight: 3200 },
];

/** The merchandising team's ranking behind `topProducts`, best first (deliberately not upc order). */
export const TOP_RANKING: readonly string[] = ['3', '1', '7', '2', '5', '11', '9', '4', '12', '6', '10', '8'];
