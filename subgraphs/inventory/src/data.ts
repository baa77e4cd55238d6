/** A product as this subgraph answers it: the key, the @requires'd catalog fields, and its stock. */
export interface StockedProduct {
  upc: string;
  /** From the products subgraph (@external), present when a requiring field was asked for. */
  price?: number | null;
  weight?: number | null;
  /** Units on hand; null when the warehouse does not know the upc. */
  unitsOnHand: number | null;
}

/** Units on hand per upc. "4", "9" and "12" are sold out. */
export const STOCK: Readonly<Record<string, number>> = {
  '1': 14,
  '2': 3,
  '3': 120,
  '4': 0,
  '5': 8,
  '6': 22,
  '7': 5,
  '8': 40,
  '9': 0,
  '10': 17,
  '11': 2,
  '12': 0,
};

/** Price (cents) above which shipping is free. */
export const FREE_SHIPPING_ABOVE = 100_000;
/** Shipping cost per gram, in cents. */
export const SHIPPING_CENTS_PER_GRAM = 0.5;
