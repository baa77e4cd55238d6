import { TaskCancelledError } from 'cockatiel';

/**
 * Runs `fn` under a deadline: at `ms` the call fails with cockatiel's `TaskCancelledError` and its
 * signal aborts (with that error as the reason); a call that settles first is not aborted.
 *
 * Unlike cockatiel's timeout policy, the deadline gives the answers already received their turn
 * first. Node runs expired timers before it reads sockets, so when this process stalls (a long
 * synchronous request, a GC pause) past a call's deadline, an answer that arrived in time would
 * otherwise lose to the timer: the dependency blamed for this process's stall, a TIMEOUT counted
 * against its circuit, a degraded answer. The deadline's failure waits for the loop's check phase
 * (`setImmediate`), after the I/O that was ready has been read.
 */
export function withDeadline<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const expire = () => {
      if (settled) return;
      settled = true;
      const error = new TaskCancelledError(`Operation timed out after ${ms}ms`);
      controller.abort(error);
      reject(error);
    };
    const timer = setTimeout(() => setImmediate(expire), ms);
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    let running: Promise<T>;
    try {
      running = fn(controller.signal);
    } catch (error) {
      // Thrown before it returned a promise: failed now, and no timer left behind.
      settle(() => reject(error));
      return;
    }
    running.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}
