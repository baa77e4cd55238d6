import type { FastifyInstance } from 'fastify';
import type { Jwks } from '../client.js';
import type { SigningKey } from '../keys.js';

const jwk = {
  type: 'object',
  required: ['kty', 'kid', 'alg', 'use'],
  properties: {
    kty: { type: 'string' },
    kid: { type: 'string' },
    alg: { type: 'string' },
    use: { type: 'string' },
    crv: { type: 'string' },
    x: { type: 'string' },
    y: { type: 'string' },
    n: { type: 'string' },
    e: { type: 'string' },
  },
} as const;

/** `GET /.well-known/jwks.json`: the public key verifiers fetch and cache. */
export function registerJwksRoutes(app: FastifyInstance, deps: { key: SigningKey }): void {
  const jwks = { keys: [deps.key.publicJwk] } as Jwks;
  app.get<{ Reply: Jwks }>(
    '/.well-known/jwks.json',
    {
      schema: {
        response: { 200: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: jwk } } } },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return jwks;
    },
  );
}
