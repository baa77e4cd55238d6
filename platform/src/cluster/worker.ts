import cluster from 'node:cluster';
import type { MetricObjectWithValues, MetricValue, Registry } from 'prom-client';
import { AppError } from '../errors/catalog.js';

/** Set by the primary on each worker it forks: which of the N places it fills (1..N, kept across restarts). */
export const WORKER_SLOT_ENV = 'EDGEWAY_WORKER_SLOT';

/** The IPC messages between the primary and its workers (besides the launcher's `listening`). */
export const MESSAGE = {
  /** worker → primary: a scrape arrived, answer with every worker's metrics. */
  scrape: 'edgeway:metrics:scrape',
  /** primary → worker: the aggregated text (or why there is none). */
  scraped: 'edgeway:metrics:scraped',
  /** primary → worker: send this process's metrics as JSON. */
  collect: 'edgeway:metrics:collect',
  /** worker → primary: this process's metrics. */
  collected: 'edgeway:metrics:collected',
} as const;

export type WorkerMetrics = Array<MetricObjectWithValues<MetricValue<string>>>;

/** This process's place among the gateway's workers, or undefined when it is not one of them. */
export function workerSlot(): number | undefined {
  if (!cluster.isWorker) return undefined;
  const slot = Number(process.env[WORKER_SLOT_ENV]);
  return Number.isInteger(slot) && slot > 0 ? slot : undefined;
}

interface Message {
  type?: string;
  id?: number;
  text?: string;
  error?: string;
}

const SCRAPE_TIMEOUT_MS = 5000;
let nextId = 0;
const pending = new Map<number, (message: Message) => void>();

/**
 * In a worker, from its start: answers the primary's requests for this process's metrics (a
 * worker that does not answer fails every scrape, so this cannot wait for the first one).
 */
export function shareMetrics(registry: Registry): void {
  process.on('message', (message: Message) => {
    if (message?.type === MESSAGE.collect) {
      void registry.getMetricsAsJSON().then(
        (metrics) => process.send?.({ type: MESSAGE.collected, id: message.id, metrics }),
        (error: unknown) => process.send?.({ type: MESSAGE.collected, id: message.id, error: String(error) }),
      );
    } else if (message?.type === MESSAGE.scraped && typeof message.id === 'number') {
      pending.get(message.id)?.(message);
    }
  });
}

/**
 * In a worker: a scrape of `/metrics` becomes one of the whole cluster, whichever worker it
 * reached: the primary gathers every worker's registry and aggregates them with prom-client's
 * `AggregatorRegistry`. Fails with 503 `OVERLOADED` when a worker does not answer in time (a
 * partial sum would read as a counter reset).
 */
export function clusterMetrics(): Promise<string> {
  const id = nextId++;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => settle({ error: 'no answer from the primary process' }), SCRAPE_TIMEOUT_MS);
    function settle(message: Message) {
      clearTimeout(timer);
      pending.delete(id);
      if (typeof message.text === 'string') resolve(message.text);
      else
        reject(new AppError('OVERLOADED', `The workers' metrics could not be gathered: ${message.error ?? 'unknown'}`));
    }
    pending.set(id, settle);
    process.send?.({ type: MESSAGE.scrape, id });
  });
}
