import { FREE_SHIPPING_ABOVE, SHIPPING_CENTS_PER_GRAM } from './data.js';

/**
 * Shipping estimate in cents: free when the price is above FREE_SHIPPING_ABOVE, else
 * round(weight * SHIPPING_CENTS_PER_GRAM). Null when either input is unknown.
 */
export function shippingEstimate(price: number | null | undefined, weight: number | null | undefined): number | null {
  if (price == null || weight == null) return null;
  if (price > FREE_SHIPPING_ABOVE) return 0;
  return Math.round(weight * SHIPPING_CENTS_PER_GRAM);
}
