import { workerSlot } from '../cluster/worker.js';
import { flushTelemetry } from '../telemetry/flush.js';
import type { HttpServer } from './server.js';

export interface RunOptions {
  port: number;
  host: string;
  /** Work to finish after the server closed: flush telemetry, close pools. */
  onClose?: () => Promise<void>;
  /** Longest wait for in-flight requests before exiting anyway (`DRAIN_TIMEOUT_MS`). @default 10000 */
  drainTimeoutMs?: number;
  /**
   * A port of its own for `/metrics` and `/health/dependencies` (`METRICS_PORT`), on `host`;
   * they then leave the public port. @default none: they are served on the public port
   */
  metricsPort?: number | undefined;
}

/**
 * Listens, and on SIGTERM/SIGINT turns unready at once, stops accepting, lets in-flight
 * requests finish (bounded), runs `onClose`, and exits 0. The only place a service listens.
 */
export async function runServer(server: HttpServer, options: RunOptions): Promise<string> {
  const { app } = server;
  if (options.metricsPort !== undefined) {
    const metricsUrl = await server.operatorPort.listen(options.metricsPort, options.host);
    app.log.info({ metricsUrl }, 'operator routes listening on their own port');
  }
  const address = await app.listen({ port: options.port, host: options.host });
  app.log.info({ url: address }, 'listening');
  // A launcher that started this process with an IPC channel (npm start, the tests) learns the
  // address whatever LOG_LEVEL hides; the channel must not keep the process alive on its own. A
  // worker tells its primary, over the channel the primary keeps using (metrics, rate limits).
  if (process.send) {
    process.send({ type: 'listening', url: address });
    if (workerSlot() === undefined) process.channel?.unref();
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'draining');
    server.startDraining();
    const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
    const deadline = setTimeout(() => {
      app.log.warn({ drainTimeoutMs }, 'drain timeout: exiting with requests in flight');
      // Still try to send the spans of what did finish, but never wait long for a collector.
      void Promise.race([flushTelemetry(), new Promise((resolve) => setTimeout(resolve, 1000))]).finally(() =>
        process.exit(1),
      );
    }, drainTimeoutMs);
    deadline.unref();
    try {
      await app.close();
      await server.operatorPort.close();
      await options.onClose?.();
      await flushTelemetry();
      app.log.info('stopped');
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'error while stopping');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return address;
}
