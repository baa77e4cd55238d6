import { EventEmitter } from 'node:events';
import { TaskCancelledError } from 'cockatiel';

/**
 * What aborts a call at its deadline: an EventEmitter with `aborted` and `reason`, emitting
 * `abort`. undici takes it as a request's `signal` and cockatiel reads its `aborted`; `signal`
 * makes a real AbortSignal, on first use, for code that needs one (`fetch`).
 *
 * Not an AbortSignal for every call: on Node 20 each AbortSignal Node makes gets hidden classes of
 * its own, built in old space (an EventTarget whose prototype is swapped, then given its fields;
 * Node 24's V8 reuses them, measured), and its listeners cost undici more per call: with one per
 * upstream call the garbage collector kept promoting, and the varied workload served 7 % fewer
 * answers side by side (docs/performance.md, step 26).
 */
export class Deadline extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;
  #controller: AbortController | undefined;

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.#controller?.abort(reason);
    this.emit('abort');
  }
}

/**
 * Runs `fn` under a deadline: at `ms` the call fails with cockatiel's `TaskCancelledError` and its
 * `Deadline` aborts (with that error as the reason); a call that settles first is not aborted.
 *
 * Unlike cockatiel's timeout policy, the deadline gives the answers already received their turn
 * first. Node runs expired timers before it reads sockets, so when this process stalls (a long
 * synchronous request, a GC pause) past a call's deadline, an answer that arrived in time would
 * otherwise lose to the timer: the dependency blamed for this process's stall, a TIMEOUT counted
 * against its circuit, a degraded answer. The deadline's failure waits for the loop's check phase
 * (`setImmediate`), after the I/O that was ready has been read.
 */
export function withDeadline<T>(ms: number, fn: (deadline: Deadline) => Promise<T>): Promise<T> {
  const deadline = new Deadline();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const expire = () => {
      if (settled) return;
      settled = true;
      const error = new TaskCancelledError(`Operation timed out after ${ms}ms`);
      deadline.abort(error);
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
      running = fn(deadline);
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
