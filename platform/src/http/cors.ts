import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/**
 * CORS for browser clients from an allow-list of exact origins (`CORS_ORIGINS`). With none, no
 * CORS header is sent and browsers keep to same-origin. Tokens travel in `Authorization`, never
 * in cookies, so credentials mode stays off. Install it before authentication: a 401 or 429
 * must still carry CORS headers, or the browser hides it from the app.
 */
export async function installCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  await app.register(cors, {
    origin: [...origins],
    methods: ['GET', 'POST'],
    allowedHeaders: [
      'content-type',
      'authorization',
      'apollo-require-preflight',
      'x-apollo-operation-name',
      'apollographql-client-name',
      'apollographql-client-version',
      'x-request-id',
      'traceparent',
      'tracestate',
      // Development only (ignored in production): lets a frontend see its degraded UI.
      'x-chaos',
    ],
    exposedHeaders: ['x-request-id', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after'],
    credentials: false,
    maxAge: 600,
    strictPreflight: true,
  });
}
