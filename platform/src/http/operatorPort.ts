import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/catalog.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** For operators only (`/metrics`, `/health/dependencies`): moves to `METRICS_PORT` when set. */
    operator?: boolean;
  }
}

/** Served on both ports: an orchestrator may probe either. */
const PROBES = new Set(['/healthz', '/readyz']);

export interface OperatorPort {
  /**
   * Serves the operator routes (and the probes) on their own port from now on, and no longer on
   * the public one; resolves with the port's URL. Call before the public port listens.
   */
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * An internal port for the routes operators use: with `METRICS_PORT` set, `/metrics` and
 * `/health/dependencies` answer only there (404 `NOT_FOUND` on the public port), and that port
 * answers nothing but them and the probes. The same fastify instance serves both ports
 * (`app.routing`), so hooks, request ids and error answers are the same on each.
 */
export function installOperatorPort(app: FastifyInstance): OperatorPort {
  const internal = new WeakSet<IncomingMessage>();
  let server: Server | undefined;

  app.addHook('onRequest', async (req) => {
    if (!server) return;
    const operator = req.routeOptions.config?.operator === true;
    const allowed = internal.has(req.raw) ? operator || PROBES.has(req.routeOptions.url ?? '') : !operator;
    if (!allowed) throw new AppError('NOT_FOUND', 'No such route');
  });

  return {
    async listen(port, host) {
      await app.ready();
      const own = createServer((req, res) => {
        internal.add(req);
        app.routing(req, res);
      });
      // The public port's request limits apply here too.
      own.requestTimeout = app.server.requestTimeout;
      own.headersTimeout = app.server.headersTimeout;
      own.on('clientError', (_error, socket) => socket.destroy());
      await new Promise<void>((resolve, reject) => {
        own.once('error', reject);
        own.listen(port, host, () => resolve());
      });
      server = own;
      const address = own.address() as AddressInfo;
      const name = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${name}:${address.port}`;
    },
    async close() {
      const own = server;
      if (!own) return;
      await new Promise<void>((resolve) => {
        own.close(() => resolve());
        own.closeAllConnections();
      });
    },
  };
}
