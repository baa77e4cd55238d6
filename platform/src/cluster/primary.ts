import cluster, { type Worker } from 'node:cluster';
import { Counter, Gauge, Registry } from 'prom-client';
import { RateLimiterClusterMaster } from 'rate-limiter-flexible';
import type { Logger } from '../log/logger.js';
import { serveClusterMetrics } from './aggregate.js';
import { WORKER_SLOT_ENV } from './worker.js';

export interface PrimaryOptions {
  /** Worker processes kept running (`GATEWAY_WORKERS`), all serving the same port. */
  workers: number;
  /** The service's name, a label of the primary's own metrics. */
  service: string;
  logger: Logger;
  /** Each worker's drain bound (`DRAIN_TIMEOUT_MS`); the primary waits that plus its last flush. */
  drainTimeoutMs: number;
}

/** Deaths in a row before listening after which a slot is a crash loop, not bad luck. */
const START_FAILURES_LIMIT = 5;
/** A worker that served this long had a fresh failure when it died: restarted without waiting. */
const STABLE_AFTER_MS = 30_000;
const FIRST_BACKOFF_MS = 250;
const LAST_BACKOFF_MS = 10_000;
/** What a worker may take past DRAIN_TIMEOUT_MS: its last telemetry flush (1 s) and exit. */
const EXIT_MARGIN_MS = 3000;

interface Slot {
  index: number;
  worker?: Worker | undefined;
  listening: boolean;
  startedAt: number;
  /** Quick deaths in a row (before listening, or within STABLE_AFTER_MS). */
  failures: number;
  restart?: NodeJS.Timeout | undefined;
}

/**
 * The primary of the gateway's worker mode (Node's cluster module): forks `workers` processes
 * that each run the whole service on the shared port (the primary accepts connections and hands
 * them out in turn), replaces one that dies (with backoff, giving up loudly on a crash loop at
 * start), answers `/metrics` scrapes with every worker's metrics summed, counts in-memory rate
 * limits for all workers at once, and on SIGTERM/SIGINT has every worker drain, then exits.
 * It tells its launcher `{type: 'listening', url}` once, when every worker listens, and ends the
 * process itself when the workers have stopped.
 */
export function runPrimary(options: PrimaryOptions): void {
  const { logger } = options;
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  const live = new Gauge({
    name: 'edgeway_workers',
    help: 'Worker processes serving the port (worker mode, GATEWAY_WORKERS)',
    registers: [registry],
  });
  const restarts = new Counter({
    name: 'edgeway_worker_restarts_total',
    help: 'Worker processes that died unexpectedly and were replaced',
    registers: [registry],
  });
  restarts.inc(0);
  // Workers without Redis count rate limits here, so N workers keep one budget, not N.
  new RateLimiterClusterMaster();

  const slots: Slot[] = Array.from({ length: options.workers }, (_, i) => ({
    index: i + 1,
    listening: false,
    startedAt: 0,
    failures: 0,
  }));
  const listeningWorkers = () => slots.flatMap((s) => (s.listening && s.worker ? [s.worker] : []));
  const onMetricsMessage = serveClusterMetrics(registry, listeningWorkers);
  let announced = false;
  let stopping = false;
  let exitCode = 0;

  const finish = (code: number) => {
    logger.info({ code }, 'stopped');
    process.exit(code);
  };

  const fork = (slot: Slot) => {
    slot.restart = undefined;
    slot.listening = false;
    slot.startedAt = Date.now();
    const worker = cluster.fork({ [WORKER_SLOT_ENV]: String(slot.index) });
    slot.worker = worker;
    worker.on('message', (message: { type?: string; url?: string }) => {
      onMetricsMessage(worker, message);
      if (message?.type !== 'listening' || typeof message.url !== 'string') return;
      slot.listening = true;
      live.set(listeningWorkers().length);
      if (announced || !slots.every((s) => s.listening)) return;
      announced = true;
      logger.info({ url: message.url, workers: slots.length }, 'listening');
      if (process.send) {
        process.send({ type: 'listening', url: message.url });
        process.channel?.unref();
      }
    });
    worker.on('exit', (code, signal) => exited(slot, worker, code, signal));
  };

  const exited = (slot: Slot, worker: Worker, code: number | null, signal: string | null) => {
    if (slot.worker !== worker) return;
    const listened = slot.listening;
    slot.worker = undefined;
    slot.listening = false;
    live.set(listeningWorkers().length);
    if (stopping) {
      if (code !== 0) exitCode = 1;
      if (slots.every((s) => !s.worker)) finish(exitCode);
      return;
    }
    const quick = !listened || Date.now() - slot.startedAt < STABLE_AFTER_MS;
    slot.failures = quick ? slot.failures + 1 : 0;
    const details = { worker: slot.index, pid: worker.process.pid, code, signal };
    if (!listened && slot.failures >= START_FAILURES_LIMIT) {
      logger.fatal(
        { ...details, failures: slot.failures },
        'worker keeps dying before it listens: giving up (see its error above)',
      );
      exitCode = 1;
      stop('crash loop');
      return;
    }
    const delayMs = slot.failures === 0 ? 0 : Math.min(FIRST_BACKOFF_MS * 2 ** (slot.failures - 1), LAST_BACKOFF_MS);
    logger.error({ ...details, restartInMs: delayMs }, 'worker died: starting another');
    restarts.inc();
    slot.restart = setTimeout(() => fork(slot), delayMs);
  };

  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason, workers: slots.filter((s) => s.worker).length }, 'draining every worker');
    for (const slot of slots) clearTimeout(slot.restart);
    // Every worker runs its own drain (runServer): unready, stop accepting, finish what is in flight.
    for (const slot of slots) slot.worker?.process.kill('SIGTERM');
    if (slots.every((s) => !s.worker)) return finish(exitCode);
    setTimeout(() => {
      logger.warn({ drainTimeoutMs: options.drainTimeoutMs }, 'drain timeout: killing the workers still running');
      for (const slot of slots) slot.worker?.process.kill('SIGKILL');
      finish(1);
    }, options.drainTimeoutMs + EXIT_MARGIN_MS).unref();
  };

  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  logger.info({ workers: slots.length }, 'starting workers');
  for (const slot of slots) fork(slot);
}
