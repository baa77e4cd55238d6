import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleAll,
  handleWhen,
  retry,
  SamplingBreaker,
  TaskCancelledError,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import type { ChaosDirective } from './chaos.js';
import { circuitState, upstreamDuration, upstreamErrors } from '../metrics/index.js';
import { spanEvent, withSpan } from '../telemetry/trace.js';
import { type DegradeReason, UpstreamError } from './errors.js';
import { createRetryBudget } from './retryBudget.js';

export interface PolicyOptions {
  /** The dependency's name, as the manifest, metrics and traces show it. */
  name: string;
  /** Deadline for the whole call, retries included, so nothing waits longer. @default 2000 */
  timeoutMs?: number;
  /** Wait before an open circuit lets one trial call through. @default 10000 */
  halfOpenAfterMs?: number;
  /** Opens after this many failures in a row: a dead dependency is cut off within a few calls. @default 5 */
  consecutiveFailures?: number;
  /** Opens when this share of calls fails over the sampling window: catches a flapping dependency that never fails 5 in a row. @default 0.5 */
  failureRatio?: number;
  /** @default 10000 */
  samplingWindowMs?: number;
  /** The ratio rule needs this much traffic, so two unlucky calls at night do not open it. @default 2 (calls per second) */
  minimumRps?: number;
  /** Extra attempts for idempotent calls. One: enough to ride over a dropped keep-alive connection. @default 1 */
  retries?: number;
  /** Calls in flight at once: a slow dependency cannot hold every socket and all memory. @default 64 */
  maxConcurrent?: number;
  /** Calls waiting for a slot before new ones are refused. @default 256 */
  maxQueued?: number;
}

export type CircuitStateName = 'closed' | 'open' | 'half-open' | 'isolated';

export interface DependencyStatus {
  name: string;
  circuit: CircuitStateName;
  /** When the circuit entered its current state (ISO 8601). */
  since: string;
  lastError: { reason: string; message: string; at: string } | null;
}

export interface CallOptions {
  /** Only idempotent calls (reads) are retried; a mutation is never sent twice. */
  idempotent: boolean;
  chaos?: ChaosDirective;
  signal?: AbortSignal;
}

export interface DependencyPolicy {
  readonly name: string;
  /** Runs `fn` under timeout, circuit breaker, bulkhead and (idempotent only) retry; failures become UpstreamError. */
  execute<T>(fn: (signal: AbortSignal) => Promise<T>, options: CallOptions): Promise<T>;
  status(): DependencyStatus;
  onStateChange(listener: (state: CircuitStateName) => void): void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** Failures worth a second try: not an open circuit, not our own deadline, not a bulkhead refusal. */
function isRetryable(error: Error): boolean {
  return !(
    error instanceof BrokenCircuitError ||
    error instanceof TaskCancelledError ||
    error instanceof BulkheadRejectedError ||
    error.name === 'AbortError' ||
    (error instanceof UpstreamError && error.reason !== 'UPSTREAM_ERROR')
  );
}

/** One resilience policy per dependency, built on cockatiel. */
const UPSTREAM_REASONS: readonly DegradeReason[] = ['TIMEOUT', 'UPSTREAM_ERROR', 'CIRCUIT_OPEN'];

export function createDependencyPolicy(options: PolicyOptions): DependencyPolicy {
  const { name } = options;
  const timeoutMs = options.timeoutMs ?? 2000;
  const halfOpenAfter = options.halfOpenAfterMs ?? 10_000;
  const consecutive = circuitBreaker(handleAll, {
    halfOpenAfter,
    breaker: new ConsecutiveBreaker(options.consecutiveFailures ?? 5),
  });
  const sampling = circuitBreaker(handleAll, {
    halfOpenAfter,
    breaker: new SamplingBreaker({
      threshold: options.failureRatio ?? 0.5,
      duration: options.samplingWindowMs ?? 10_000,
      minimumRps: options.minimumRps ?? 2,
    }),
  });
  const budget = createRetryBudget();
  const retryPolicy = retry(
    handleWhen((error) => isRetryable(error) && budget.tryRetry()),
    { maxAttempts: options.retries ?? 1, backoff: new ExponentialBackoff({ initialDelay: 25, maxDelay: 250 }) },
  );
  const limiter = bulkhead(options.maxConcurrent ?? 64, options.maxQueued ?? 256);
  const deadline = timeout(timeoutMs, TimeoutStrategy.Aggressive);
  const breakers = wrap(consecutive, sampling);
  const withRetry = wrap(retryPolicy, breakers);

  let since = new Date().toISOString();
  let lastError: DependencyStatus['lastError'] = null;
  const listeners: Array<(state: CircuitStateName) => void> = [];
  const combinedState = (): CircuitStateName => {
    const states = [consecutive.state, sampling.state];
    if (states.includes(CircuitState.Isolated)) return 'isolated';
    if (states.includes(CircuitState.Open)) return 'open';
    if (states.includes(CircuitState.HalfOpen)) return 'half-open';
    return 'closed';
  };
  let current = combinedState();
  const STATE_VALUES: Record<CircuitStateName, number> = { closed: 0, 'half-open': 1, open: 2, isolated: 3 };
  circuitState.labels(name).set(STATE_VALUES[current]);
  // Every series at 0 from the start, so rate() sees a first burst of failures (a series born
  // with its first value has no earlier sample to rise from).
  for (const reason of UPSTREAM_REASONS) upstreamErrors.labels(name, reason).inc(0);
  const track = () => {
    const next = combinedState();
    if (next === current) return;
    current = next;
    since = new Date().toISOString();
    circuitState.labels(name).set(STATE_VALUES[next]);
    spanEvent('circuit.state_change', { dependency: name, 'circuit.state': next });
    for (const listener of listeners) listener(next);
  };
  for (const breaker of [consecutive, sampling]) breaker.onStateChange(track);

  const toUpstreamError = (error: unknown): UpstreamError => {
    if (error instanceof UpstreamError) return error;
    if (error instanceof BrokenCircuitError) return new UpstreamError(name, 'CIRCUIT_OPEN', 'circuit open');
    if (error instanceof TaskCancelledError)
      return new UpstreamError(name, 'TIMEOUT', `no answer within ${timeoutMs} ms`);
    if (error instanceof BulkheadRejectedError)
      return new UpstreamError(name, 'UPSTREAM_ERROR', 'too many calls in flight');
    return new UpstreamError(name, 'UPSTREAM_ERROR', (error as Error)?.message ?? 'failed');
  };

  return {
    name,
    // One span per call, child of whatever made it (a DataLoader batch, the gateway's fetch): the
    // HTTP attempts are its children, and it says why there may be none (open circuit, chaos).
    execute: (fn, callOptions) =>
      withSpan(`upstream ${name}`, { 'edgeway.dependency': name, 'circuit.state': current }, async (span) => {
        const chaos = callOptions.chaos;
        if (chaos) span.setAttribute('edgeway.chaos', chaos.mode);
        if (chaos?.mode === 'down') throw new UpstreamError(name, 'UPSTREAM_ERROR', 'down (x-chaos)');
        budget.recordRequest();
        const inner = callOptions.idempotent ? withRetry : breakers;
        const started = performance.now();
        let attempts = 0;
        const attempt = (signal: AbortSignal) => {
          if (++attempts > 1) span.addEvent('upstream.retry', { dependency: name, attempt: attempts });
          return fn(signal);
        };
        try {
          // Injected slowness sits inside the deadline but outside the breakers: one developer's
          // x-chaos header must not open the circuit for everybody.
          const result = await limiter.execute(
            () =>
              deadline.execute(async ({ signal }) => {
                if (chaos?.mode === 'slow') await sleep(chaos.delayMs, signal);
                return inner.execute(({ signal: attemptSignal }) => attempt(attemptSignal), signal);
              }),
            callOptions.signal,
          );
          upstreamDuration.labels(name, 'ok').observe((performance.now() - started) / 1000);
          span.setAttributes({ 'upstream.attempts': attempts, 'upstream.outcome': 'ok' });
          return result;
        } catch (error) {
          const upstreamError = toUpstreamError(error);
          upstreamDuration.labels(name, upstreamError.reason).observe((performance.now() - started) / 1000);
          upstreamErrors.labels(name, upstreamError.reason).inc();
          span.setAttributes({
            'upstream.attempts': attempts,
            'upstream.outcome': upstreamError.reason,
            'circuit.state': current,
          });
          spanEvent('upstream.failure', { dependency: name, reason: upstreamError.reason, 'circuit.state': current });
          if (upstreamError.reason !== 'CIRCUIT_OPEN') {
            lastError = { reason: upstreamError.reason, message: upstreamError.message, at: new Date().toISOString() };
          }
          throw upstreamError;
        }
      }),
    status: () => ({ name, circuit: current, since, lastError }),
    onStateChange: (listener) => listeners.push(listener),
  };
}
