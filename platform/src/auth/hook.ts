import type { FastifyInstance } from 'fastify';
import type { Principal, TokenVerifier } from './verify.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Verifies the bearer token before the body is read; a bad token never reaches GraphQL. */
export function installAuth(app: FastifyInstance, verify: TokenVerifier, paths: string[] = ['/graphql']): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!paths.includes(req.url.split('?')[0] ?? '')) return;
    try {
      req.principal = await verify(req.headers.authorization);
    } catch (error) {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw error;
    }
  });
}
