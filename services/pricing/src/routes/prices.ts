import type { FastifyInstance } from 'fastify';
import { MAX_UPCS_PER_CALL, type PricesResponse } from '../client.js';
import { type PriceTable, priceAll } from '../data.js';

const UPC_PATTERN = '^[0-9]{1,12}$';

const querystring = {
  type: 'object',
  required: ['upc'],
  additionalProperties: false,
  properties: {
    // `?upc=1` arrives as a string; fastify's Ajv coerces it to a one-item array.
    upc: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_UPCS_PER_CALL,
      items: { type: 'string', pattern: UPC_PATTERN },
    },
  },
} as const;

const livePrice = {
  type: 'object',
  required: ['upc', 'amount', 'currency', 'promotion'],
  properties: {
    upc: { type: 'string' },
    amount: { type: 'integer' },
    currency: { type: 'string' },
    promotion: {
      type: ['object', 'null'],
      required: ['code', 'percentOff'],
      properties: { code: { type: 'string' }, percentOff: { type: 'integer' } },
    },
  },
} as const;

const response = {
  200: { type: 'object', required: ['prices'], properties: { prices: { type: 'array', items: livePrice } } },
} as const;

/**
 * `GET /v1/prices?upc=1&upc=2`: one call prices a whole page. A live price is the price now
 * (promotions come and go), so the answer carries no Cache-Control and nobody keeps it; keep it so.
 */
export function registerPriceRoutes(app: FastifyInstance, deps: { prices: PriceTable }): void {
  app.get<{ Querystring: { upc: string[] }; Reply: PricesResponse }>(
    '/v1/prices',
    { schema: { querystring, response } },
    async (req) => ({ prices: priceAll(deps.prices, req.query.upc) }),
  );
}
