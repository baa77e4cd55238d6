import type { FastifyInstance } from 'fastify';
import type { TokenRequest, TokenResponse } from '../client.js';
import { EXPIRES_IN, type Minter } from '../mint.js';

const body = {
  type: 'object',
  required: ['sub'],
  properties: {
    sub: { type: 'string', minLength: 1, maxLength: 64 },
    scope: { type: 'string', maxLength: 1024 },
    expiresIn: { type: 'integer', minimum: EXPIRES_IN.min, maximum: EXPIRES_IN.max },
  },
} as const;

const response = {
  200: {
    type: 'object',
    required: ['access_token', 'token_type', 'expires_in'],
    properties: {
      access_token: { type: 'string' },
      token_type: { type: 'string' },
      expires_in: { type: 'integer' },
    },
  },
} as const;

/** `POST /token {"sub":"1"}`: a development access token for a seed user. */
export function registerTokenRoutes(app: FastifyInstance, deps: { mint: Minter }): void {
  app.post<{ Body: TokenRequest; Reply: TokenResponse }>(
    '/token',
    { schema: { body, response } },
    async (req, reply) => {
      // RFC 6749 section 5.1: token responses must not be cached.
      reply.header('cache-control', 'no-store');
      return deps.mint(req.body);
    },
  );
}
