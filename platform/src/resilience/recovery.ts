import {
  ExponentialBackoff,
  type IBackoff,
  type IBackoffFactory,
  type IHalfOpenAfterBackoffContext,
  noJitterGenerator,
} from 'cockatiel';

/** Asks the dependency whether it can serve (its `/readyz`); resolves when it can, rejects otherwise. */
export type ReadinessProbe = (signal: AbortSignal) => Promise<void>;

export interface RecoveryOptions {
  /** The longest an open circuit waits before a trial call. */
  halfOpenAfterMs: number;
  /** Wait before the first trial; doubled after each failed trial, up to `halfOpenAfterMs`. @default 250 */
  firstTrialAfterMs?: number;
  probe?: ReadinessProbe | undefined;
  /** Time between probes while the circuit is open. @default 250 */
  probeIntervalMs?: number;
  /** A probe that takes longer has failed. @default 1000 */
  probeTimeoutMs?: number;
}

export interface Recovery {
  /** cockatiel's `halfOpenAfter`: how long each opening of a circuit waits for its trial. */
  readonly halfOpenAfter: IBackoffFactory<IHalfOpenAfterBackoffContext>;
  /** The circuit opened: probe the dependency until `trial` has closed it. */
  opened(trial: (probe: ReadinessProbe) => Promise<unknown>, isOpen: () => boolean): void;
  /** The circuit closed. */
  closed(): void;
}

/**
 * How an open circuit comes back. Trial calls back off from short (cockatiel's exponential
 * backoff, capped at `halfOpenAfterMs`) so that a dependency that was down a moment costs a moment;
 * and while the circuit is open the dependency's readiness endpoint is probed, so that it closes
 * within a probe interval of the dependency being back, with or without traffic. A probe that says
 * ready runs as the trial itself (cockatiel's half-open call), through the same breakers.
 *
 * A readiness endpoint can be wrong (ready, while its real answers fail): when the circuit opens
 * again within `halfOpenAfterMs` of a probe closing it, probes are not believed until a real trial
 * call has closed it, so a lying probe cannot make every caller wait on a hung dependency.
 */
export function createRecovery(options: RecoveryOptions): Recovery {
  const probeIntervalMs = options.probeIntervalMs ?? 250;
  const probeTimeoutMs = options.probeTimeoutMs ?? 1000;
  const trials = new ExponentialBackoff({
    generator: noJitterGenerator,
    initialDelay: Math.min(options.firstTrialAfterMs ?? 250, options.halfOpenAfterMs),
    maxDelay: options.halfOpenAfterMs,
  });
  // True between a probe seeing the dependency ready and the trial it starts: the wait is over.
  let ready = false;
  let believeProbe = true;
  let closedByProbeAt = Number.NEGATIVE_INFINITY;
  let probeTrial = false;
  let probing = false;

  const shortened = (backoff: IBackoff<unknown>): IBackoff<IHalfOpenAfterBackoffContext> => ({
    get duration() {
      return ready ? 0 : backoff.duration;
    },
    next: (context) => shortened(backoff.next(context)),
  });

  const probeOnce = async (probe: ReadinessProbe): Promise<boolean> => {
    try {
      await probe(AbortSignal.timeout(probeTimeoutMs));
      return true;
    } catch {
      return false;
    }
  };

  return {
    halfOpenAfter: { next: () => shortened(trials.next()) },
    opened(trial, isOpen) {
      ready = false;
      believeProbe = believeProbe && Date.now() - closedByProbeAt >= options.halfOpenAfterMs;
      const probe = options.probe;
      if (!probe || !believeProbe || probing) return;
      probing = true;
      const tick = async () => {
        if (!isOpen() || !believeProbe) {
          probing = false;
          return;
        }
        if (await probeOnce(probe)) {
          ready = true;
          probeTrial = true;
          await trial(probe).catch(() => undefined);
          probeTrial = false;
          ready = false;
        }
        setTimeout(() => void tick(), probeIntervalMs).unref();
      };
      setTimeout(() => void tick(), probeIntervalMs).unref();
    },
    closed() {
      ready = false;
      // Once a real call has closed the circuit, probes are believed again.
      if (probeTrial) closedByProbeAt = Date.now();
      else believeProbe = true;
    },
  };
}
