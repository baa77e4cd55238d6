import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isGraphQLRoute } from '../graphql/route.js';
import type { Principal, TokenVerifier } from './verify.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Sets `req.principal` from the bearer token (none: anonymous); a bad token throws UNAUTHENTICATED. */
export async function authenticate(req: FastifyRequest, reply: FastifyReply, verify: TokenVerifier): Promise<void> {
  try {
    req.principal = await verify(req.headers.authorization);
  } catch (error) {
    reply.header('www-authenticate', 'Bearer error="invalid_token"');
    throw error;
  }
}

/**
 * Verifies the bearer token on every GraphQL route before the body is read; a bad token never
 * reaches GraphQL. (The public edge runs it inside `installEdge`, with the rate limit.)
 */
export function installAuth(app: FastifyInstance, verify: TokenVerifier): void {
  app.addHook('onRequest', async (req, reply) => {
    if (isGraphQLRoute(req)) await authenticate(req, reply, verify);
  });
}
