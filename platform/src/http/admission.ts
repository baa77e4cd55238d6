import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/catalog.js';
import { admissionLimit, admissionQueued, admissionRejections, admissionRunning } from '../metrics/index.js';

/** `auto`: the limit follows the CPU; a number: a fixed limit; `off`: every request runs at once. */
export type ConcurrencySetting = 'auto' | 'off' | number;

export interface AdmissionOptions {
  limit: ConcurrencySetting;
  /** Requests waiting beyond this are refused at once (503 OVERLOADED). @default 1000 */
  queueMax?: number;
  /** A request that waited this long is refused (503 OVERLOADED). @default 5000 */
  queueTimeoutMs?: number;
  /** `Retry-After` of a refusal, in seconds. @default 2 */
  retryAfterSec?: number;
  /**
   * `auto`'s range and step. The floor: with fewer operations at once a saturated gateway idled
   * between subgraph answers (`npm run bench`: a fixed 8 served 8-10 % more than a floor of 4; 2 left 6 % idle).
   * @default 8, 1024, 100 ms
   */
  minLimit?: number;
  maxLimit?: number;
  intervalMs?: number;
  /** The event loop's busy share over the last interval (tests). @default perf_hooks' eventLoopUtilization */
  utilization?: () => number;
}

/** One request's turn. */
export interface Ticket {
  ready: Promise<void> | undefined;
  end(): void;
}

interface Waiter {
  since: number;
  admit(): void;
  refuse(error: AppError): void;
}

/** Above this busy share the CPU is the limit: fewer operations at once finish as fast. */
const SATURATED = 0.9;
/** Below it, with requests waiting, the CPU has room for more. */
const ROOM = 0.75;

/**
 * Operations run at once, and what waits for a turn (FIFO). Each operation keeps its subgraph
 * answers alive until it is answered: with every operation of a saturated process running at
 * once, each lives as long as all of them take together, its objects outlive the young
 * generation and the garbage collector copies and promotes them (a third of the CPU in the
 * profile). Admitted a few at a time, an operation is answered in the time of its own work, and
 * the others wait as unread request bytes.
 *
 * `auto` moves the limit with the CPU (additive increase, multiplicative decrease on the event
 * loop's utilization): down while the process is saturated, up while requests wait and the CPU
 * has room (upstreams slow, operations waiting on I/O), so a gateway in front of slow subgraphs
 * still runs as many operations at once as it can overlap.
 */
export class Admission {
  #limit: number;
  #running = 0;
  readonly #queue: Waiter[] = [];
  #waitedSinceTick = false;
  readonly #auto: boolean;
  readonly #queueMax: number;
  readonly #queueTimeoutMs: number;
  readonly #min: number;
  readonly #max: number;
  readonly #utilization: () => number;
  readonly #timer: NodeJS.Timeout;

  constructor(options: AdmissionOptions) {
    if (options.limit === 'off') throw new Error('Admission: limit "off" means no admission control');
    this.#auto = options.limit === 'auto';
    this.#min = options.minLimit ?? 8;
    this.#max = options.maxLimit ?? 1024;
    // `auto` starts at the floor and rises only while requests wait with the CPU to spare. Started
    // higher, a saturated process runs its first seconds with operations outliving the young
    // generation, and V8 decides to allocate their objects in the old generation from then on
    // (allocation-site pretenuring never reverts): those objects then keep each answer's parsed
    // subgraph data alive until the next full collection, whatever the limit settles at.
    this.#limit = this.#auto ? this.#min : (options.limit as number);
    this.#queueMax = options.queueMax ?? 1000;
    this.#queueTimeoutMs = options.queueTimeoutMs ?? 5000;
    this.#utilization = options.utilization ?? utilizationSampler();
    this.#timer = setInterval(() => this.tick(), options.intervalMs ?? 100);
    this.#timer.unref();
    admissionLimit.set(this.#limit);
    for (const reason of ['queue_full', 'queue_timeout']) admissionRejections.inc({ reason }, 0);
  }

  get limit(): number {
    return this.#limit;
  }
  get running(): number {
    return this.#running;
  }
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Takes a turn, or a place in the queue: `ready` settles when the turn starts (undefined when it
   * started at once), and is refused with 503 OVERLOADED after `queueTimeoutMs`. `end()` ends the
   * turn, or leaves the queue (its client went away); it may be called more than once. A full
   * queue refuses at once (throws OVERLOADED).
   */
  enter(): Ticket {
    if (this.#running < this.#limit && this.#queue.length === 0) return this.#start();
    if (this.#queue.length >= this.#queueMax) {
      admissionRejections.inc({ reason: 'queue_full' });
      throw new AppError('OVERLOADED');
    }
    this.#waitedSinceTick = true;
    let state: 'waiting' | 'running' | 'ended' = 'waiting';
    let waiter!: Waiter;
    const ready = new Promise<void>((resolve, reject) => {
      waiter = {
        since: performance.now(),
        admit: () => {
          state = 'running';
          this.#running++;
          resolve();
        },
        refuse: (error) => {
          state = 'ended';
          reject(error);
        },
      };
    });
    this.#queue.push(waiter);
    admissionQueued.set(this.#queue.length);
    return {
      ready,
      end: () => {
        if (state === 'running') this.#finish();
        else if (state === 'waiting') {
          this.#queue.splice(this.#queue.indexOf(waiter), 1);
          admissionQueued.set(this.#queue.length);
          // Nobody awaits it any more (the request is gone): settled so the hook returns.
          waiter.refuse(new AppError('OVERLOADED'));
        }
        state = 'ended';
      },
    };
  }

  #start(): Ticket {
    this.#running++;
    admissionRunning.set(this.#running);
    let ended = false;
    return {
      ready: undefined,
      end: () => {
        if (ended) return;
        ended = true;
        this.#finish();
      },
    };
  }

  #finish(): void {
    this.#running--;
    this.#drain();
  }

  #drain(): void {
    while (this.#running < this.#limit && this.#queue.length > 0) this.#queue.shift()?.admit();
    admissionRunning.set(this.#running);
    admissionQueued.set(this.#queue.length);
  }

  /** One step of the controller, and the queue's timeouts. */
  tick(): void {
    const now = performance.now();
    while (this.#queue.length > 0 && now - (this.#queue[0]?.since ?? now) > this.#queueTimeoutMs) {
      admissionRejections.inc({ reason: 'queue_timeout' });
      this.#queue.shift()?.refuse(new AppError('OVERLOADED'));
    }
    if (this.#auto) {
      const busy = this.#utilization();
      if (busy >= SATURATED && this.#running >= this.#limit) {
        this.#limit = Math.max(this.#min, Math.floor(this.#limit * 0.9));
      } else if (busy < ROOM && (this.#waitedSinceTick || this.#queue.length > 0)) {
        this.#limit = Math.min(this.#max, this.#limit + Math.max(1, Math.ceil(this.#limit * 0.1)));
      }
      admissionLimit.set(this.#limit);
    }
    this.#waitedSinceTick = this.#queue.length > 0;
    this.#drain();
  }

  close(): void {
    clearInterval(this.#timer);
    for (const waiter of this.#queue.splice(0)) waiter.refuse(new AppError('OVERLOADED'));
    admissionQueued.set(0);
  }
}

/** The event loop's utilization since the last call (0..1). */
function utilizationSampler(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(now, last);
    last = now;
    return delta.utilization;
  };
}

/**
 * Admission control on the GraphQL routes (`CONCURRENCY_LIMIT`), after the token check and the
 * rate limit (a refused caller never takes a place) and before the body is read: a waiting request
 * costs its unread bytes. The turn ends when the answer is sent or the client goes away.
 */
export function installAdmission(
  app: FastifyInstance,
  options: AdmissionOptions,
  applies: (req: FastifyRequest) => boolean,
): Admission | undefined {
  if (options.limit === 'off') return undefined;
  const admission = new Admission(options);
  const retryAfter = String(options.retryAfterSec ?? 2);
  app.addHook('onRequest', async (req, reply) => {
    if (!applies(req)) return;
    try {
      const ticket = admission.enter();
      reply.raw.once('close', ticket.end);
      if (ticket.ready) await ticket.ready;
    } catch (error) {
      reply.header('retry-after', retryAfter);
      throw error;
    }
  });
  app.addHook('onClose', async () => admission.close());
  return admission;
}
