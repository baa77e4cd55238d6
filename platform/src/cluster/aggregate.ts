import type { Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { MESSAGE, type WorkerMetrics } from './worker.js';

/** Longest wait for one worker's metrics; under the worker's own wait for the whole scrape. */
const COLLECT_TIMEOUT_MS = 3000;

interface Message {
  type?: string;
  id?: number;
  metrics?: WorkerMetrics;
  error?: string;
}

/**
 * In the primary: answers a worker's scrape with the sum of every listening worker's registry
 * (prom-client's `AggregatorRegistry.aggregate`: counters and histograms add up, each metric's
 * `aggregator` decides otherwise) followed by the primary's own metrics. Only workers that
 * announced they listen are asked: one still starting has nothing to say and would stall the
 * scrape; one that died took its counts with it (Prometheus reads the drop as a counter reset).
 */
export function serveClusterMetrics(
  own: Registry,
  listening: () => Worker[],
): (from: Worker, message: Message) => void {
  let nextId = 0;
  const waiting = new Map<number, (message: Message) => void>();

  const collect = (worker: Worker): Promise<WorkerMetrics> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => settle({ error: `worker ${worker.id} did not answer in time` }),
        COLLECT_TIMEOUT_MS,
      );
      function settle(message: Message) {
        clearTimeout(timer);
        waiting.delete(id);
        if (message.metrics) resolve(message.metrics);
        else reject(new Error(message.error ?? 'no metrics'));
      }
      waiting.set(id, settle);
      worker.send({ type: MESSAGE.collect, id });
    });
  };

  const scrape = async (from: Worker): Promise<string> => {
    const workers = new Set([...listening(), from].filter((w) => w.isConnected()));
    const all = await Promise.all([...workers].map(collect));
    const aggregated = await AggregatorRegistry.aggregate(all).metrics();
    return `${aggregated}${await own.metrics()}`;
  };

  return (from, message) => {
    if (message?.type === MESSAGE.collected && typeof message.id === 'number') {
      waiting.get(message.id)?.(message);
    } else if (message?.type === MESSAGE.scrape) {
      scrape(from).then(
        (text) => from.isConnected() && from.send({ type: MESSAGE.scraped, id: message.id, text }),
        (error: unknown) =>
          from.isConnected() &&
          from.send({
            type: MESSAGE.scraped,
            id: message.id,
            error: error instanceof Error ? error.message : String(error),
          }),
      );
    }
  };
}
