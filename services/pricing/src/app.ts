import { createHttpServer, type HttpServer, type Logger } from '@edgeway/platform';
import { type PriceTable, SEED_PRICES } from './data.js';
import { registerPriceRoutes } from './routes/prices.js';

export type { LivePrice, PricesResponse } from './client.js';
export { MAX_UPCS_PER_CALL } from './client.js';
export { discounted, type PriceEntry, type PriceTable, SEED_PRICES } from './data.js';

export interface PricingDeps {
  logger: Logger;
  /** The price book to serve. @default SEED_PRICES */
  prices?: PriceTable;
}

/** The pricing REST service: live prices with promotions, many upcs per call. */
export function buildApp(deps: PricingDeps): HttpServer {
  const server = createHttpServer({ errorShape: 'rest', logger: deps.logger });
  registerPriceRoutes(server.app, { prices: deps.prices ?? SEED_PRICES });
  return server;
}
