import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/catalog.js';

export interface LoadSheddingOptions {
  /** Mean event-loop delay over a sample above which new work is refused; 0 turns shedding off. @default 200 */
  maxEventLoopDelayMs: number;
  /** How often the delay is sampled (the mean over this window counts). @default 500 */
  sampleIntervalMs?: number;
  /** `Retry-After` of a refusal, in seconds. @default 2 */
  retryAfterSec?: number;
}

/** What a saturated process still answers: its probes and metrics (a busy process is alive, and ready). */
const NEVER_SHED = new Set(['/healthz', '/readyz', '/metrics', '/health/dependencies']);

const isProbe = (req: FastifyRequest) => NEVER_SHED.has(req.routeOptions.url ?? '');

/**
 * Load shedding: while the event loop lags (`@fastify/under-pressure`), a new request is answered
 * 503 OVERLOADED with `Retry-After` before anything is done for it (first hook: no token check,
 * no body read, no upstream call). A saturated process thereby refuses work instead of sending
 * upstream calls it cannot read the answers of in time, which would time out, open circuits and
 * blame healthy dependencies. Probes are never shed: readiness says whether the service can serve,
 * not whether one caller keeps it busy, so shedding never turns `/readyz` 503.
 */
export async function installLoadShedding(app: FastifyInstance, options: LoadSheddingOptions): Promise<void> {
  if (options.maxEventLoopDelayMs <= 0) return;
  const retryAfter = String(options.retryAfterSec ?? 2);
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    sampleInterval: options.sampleIntervalMs ?? 500,
    pressureHandler: async (req, reply) => {
      if (isProbe(req)) return;
      reply.header('retry-after', retryAfter);
      throw new AppError('OVERLOADED');
    },
  });
}
