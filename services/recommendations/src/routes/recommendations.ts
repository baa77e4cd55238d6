import { AppError } from '@edgeway/platform';
import type { FastifyInstance } from 'fastify';
import type { RecommendationsResponse } from '../client.js';
import { type RecommendationData, top } from '../data.js';

/** Largest `limit` a caller may ask for. */
export const MAX_LIMIT = 50;
export const DEFAULT_LIMIT = 10;

const querystring = {
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
} as const;

const response = {
  200: {
    type: 'object',
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        items: {
          type: 'object',
          required: ['upc', 'score'],
          properties: { upc: { type: 'string' }, score: { type: 'number' } },
        },
      },
    },
  },
} as const;

interface Route<P> {
  Params: P;
  Querystring: { limit: number };
  Reply: RecommendationsResponse;
}

export function registerRecommendationRoutes(app: FastifyInstance, deps: { data: RecommendationData }): void {
  // A user without history is not an error: the screen just shows no picks.
  app.get<Route<{ id: string }>>(
    '/v1/users/:id/recommendations',
    {
      schema: {
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
        },
        querystring,
        response,
      },
    },
    async (req) => ({ items: top(deps.data.users.get(req.params.id) ?? [], req.query.limit) }),
  );

  app.get<Route<{ upc: string }>>(
    '/v1/products/:upc/related',
    {
      schema: {
        params: {
          type: 'object',
          required: ['upc'],
          properties: { upc: { type: 'string', pattern: '^[0-9]{1,12}$' } },
        },
        querystring,
        response,
      },
    },
    async (req) => {
      const related = deps.data.related.get(req.params.upc);
      if (!related) throw new AppError('NOT_FOUND', `No product with upc ${req.params.upc}`);
      return { items: top(related, req.query.limit) };
    },
  );
}
