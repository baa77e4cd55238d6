import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ConstantBackoff,
  handleAll,
  handleWhen,
  retry,
  SamplingBreaker,
  TaskCancelledError,
  wrap,
} from 'cockatiel';
import type { ChaosDirective } from './chaos.js';
import { type Deadline, withDeadline } from './deadline.js';
import { circuitState, upstreamDuration, upstreamErrors, upstreamRetries } from '../metrics/index.js';
import { spanEvent, withSpan } from '../telemetry/trace.js';
import { type DegradeReason, UpstreamError } from './errors.js';
import { createRecovery, type ReadinessProbe } from './recovery.js';
import { createRetryBudget } from './retryBudget.js';

export interface PolicyOptions {
  /** The dependency's name, as the manifest, metrics and traces show it. */
  name: string;
  /** Deadline for the whole call, retries included, so nothing waits longer. @default 2000 */
  timeoutMs?: number;
  /**
   * The longest an open circuit waits before one trial call: trials back off from 250 ms,
   * doubling after each failed one, up to this; a readiness `probe` that answers ends the wait.
   * @default 10000
   */
  halfOpenAfterMs?: number;
  /** Asks the dependency whether it is ready, every 250 ms while its circuit is open. @default none (trials only) */
  probe?: ReadinessProbe;
  /** Opens after this many failures in a row: a dead dependency is cut off within a few calls. @default 5 */
  consecutiveFailures?: number;
  /** Opens when this share of calls fails over the sampling window: catches a flapping dependency that never fails 5 in a row. @default 0.5 */
  failureRatio?: number;
  /** @default 10000 */
  samplingWindowMs?: number;
  /** The ratio rule needs this much traffic, so two unlucky calls at night do not open it. @default 2 (calls per second) */
  minimumRps?: number;
  /**
   * Extra attempts for idempotent calls, at once and on a fresh connection, within the retry
   * budget: one rides over a dropped keep-alive connection or a replica that is draining. @default 1
   */
  retries?: number;
  /** Wait before each retry; the call's deadline still bounds the whole. @default 0 (at once) */
  retryBackoffMs?: number;
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

/**
 * One attempt at a call: `deadline` aborts at the call's deadline (give it to undici as the
 * request's `signal`, or use `deadline.signal`, an AbortSignal); a retry asks for a `fresh` connection.
 */
export type Attempt<T> = (deadline: Deadline, attempt: { fresh: boolean }) => Promise<T>;

export interface DependencyPolicy {
  readonly name: string;
  /** Runs `fn` under timeout, circuit breaker, bulkhead and (idempotent only) retry; failures become UpstreamError. */
  execute<T>(fn: Attempt<T>, options: CallOptions): Promise<T>;
  status(): DependencyStatus;
  onStateChange(listener: (state: CircuitStateName) => void): void;
  /**
   * For a dependency no longer called (a canary removed or replaced at reload): stops probing it
   * and drops its circuit-state series, so no alert follows a deployment that is gone. Close it
   * before creating another policy of the same name.
   */
  close(): void;
}

function sleep(ms: number, deadline: Deadline): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => {
      clearTimeout(timer);
      reject(deadline.reason);
    };
    const timer = setTimeout(() => {
      deadline.off('abort', aborted);
      resolve();
    }, ms);
    deadline.once('abort', aborted);
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

const UPSTREAM_REASONS: readonly DegradeReason[] = ['TIMEOUT', 'UPSTREAM_ERROR', 'CIRCUIT_OPEN'];

/**
 * One resilience policy per dependency, built on cockatiel: bulkhead, then the deadline, then the
 * breakers, then (idempotent calls) the retry, so that a retry that rescues a call counts as one
 * success and the breaker sees each call once.
 *
 * Two things cockatiel's breaker does are not configurable and are worked around here: while its
 * half-open trial is in flight every other call waits for the trial (here they fail fast as
 * CIRCUIT_OPEN, see `trialInFlight`), and the calls it re-runs after a trial get its shared,
 * never-aborted signal (here every attempt gets its own call's `Deadline`, never the signal
 * cockatiel passes down).
 */
export function createDependencyPolicy(options: PolicyOptions): DependencyPolicy {
  const { name } = options;
  const timeoutMs = options.timeoutMs ?? 2000;
  const recovery = createRecovery({ halfOpenAfterMs: options.halfOpenAfterMs ?? 10_000, probe: options.probe });
  const consecutive = circuitBreaker(handleAll, {
    halfOpenAfter: recovery.halfOpenAfter,
    breaker: new ConsecutiveBreaker(options.consecutiveFailures ?? 5),
  });
  const sampling = circuitBreaker(handleAll, {
    halfOpenAfter: recovery.halfOpenAfter,
    breaker: new SamplingBreaker({
      threshold: options.failureRatio ?? 0.5,
      duration: options.samplingWindowMs ?? 10_000,
      minimumRps: options.minimumRps ?? 2,
    }),
  });
  const budget = createRetryBudget();
  const retryPolicy = retry(
    handleWhen((error) => isRetryable(error) && budget.tryRetry()),
    { maxAttempts: options.retries ?? 1, backoff: new ConstantBackoff(options.retryBackoffMs ?? 0) },
  );
  retryPolicy.onRetry(() => upstreamRetries.labels(name).inc());
  const limiter = bulkhead(options.maxConcurrent ?? 64, options.maxQueued ?? 256);
  const breakers = wrap(consecutive, sampling);
  const trialInFlight = () => consecutive.state === CircuitState.HalfOpen || sampling.state === CircuitState.HalfOpen;

  /**
   * Through the breakers; the caller's deadline reaches every attempt (cockatiel's signal may not).
   * cockatiel 3.2 reads only `aborted` of the signal it is given (no retry, no half-open wait after
   * the deadline), which a `Deadline` has.
   */
  const guarded = <T>(
    run: (attempt: { fresh: boolean }) => Promise<T>,
    idempotent: boolean,
    deadline: Pick<AbortSignal, 'aborted'>,
  ) => {
    const signal = deadline as AbortSignal;
    // Synchronous from this check to the breakers' own, so no trial can start in between.
    if (trialInFlight()) return Promise.reject(new BrokenCircuitError());
    return breakers.execute(
      () =>
        idempotent ? retryPolicy.execute(({ attempt }) => run({ fresh: attempt > 0 }), signal) : run({ fresh: false }),
      signal,
    );
  };

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
  let closed = false;
  const track = () => {
    if (closed) return;
    const next = combinedState();
    if (next === current) return;
    current = next;
    since = new Date().toISOString();
    circuitState.labels(name).set(STATE_VALUES[next]);
    spanEvent('circuit.state_change', { dependency: name, 'circuit.state': next });
    for (const listener of listeners) listener(next);
  };
  for (const breaker of [consecutive, sampling]) breaker.onStateChange(track);
  // The probe's trial goes through the breakers like a call, with its own deadline.
  const probeTrial = (probe: ReadinessProbe) => {
    const signal = AbortSignal.timeout(timeoutMs);
    return guarded(() => probe(signal), false, signal);
  };
  listeners.push((state) => {
    if (state === 'open') recovery.opened(probeTrial, () => !closed && current === 'open');
    if (state === 'closed') recovery.closed();
  });

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
        const started = performance.now();
        let attempts = 0;
        const attempt = (deadline: Deadline, fresh: boolean) => {
          if (++attempts > 1) span.addEvent('upstream.retry', { dependency: name, attempt: attempts });
          return fn(deadline, { fresh });
        };
        try {
          // Injected slowness sits inside the deadline but outside the breakers: one developer's
          // x-chaos header must not open the circuit for everybody.
          const result = await limiter.execute(
            () =>
              // The call's deadline: at `timeoutMs` it fails whatever it is doing, and its signal
              // aborts; an answer read in the same turn of the loop still counts (deadline.ts). A
              // call that settles first is not aborted: every attempt has settled and its body was
              // read or dropped by then, and each abort built an error with its stack.
              withDeadline(timeoutMs, async (deadline) => {
                if (chaos?.mode === 'slow') await sleep(chaos.delayMs, deadline);
                return guarded(({ fresh }) => attempt(deadline, fresh), callOptions.idempotent, deadline);
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
    close: () => {
      closed = true;
      circuitState.remove(name);
    },
  };
}
