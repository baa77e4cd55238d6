import { createRequire } from 'node:module';
import type Autocannon from 'autocannon';
import { answerMatches, type WorkloadRequest } from './workload.js';

// autocannon is the bench's own dependency (installed by `npm run bench`): loaded when load is
// generated, so the unit tests of the bench's arithmetic run from a plain `npm install`.
const require = createRequire(import.meta.url);

/** What one slice of closed-loop load measured. */
export interface Slice {
  requests: number;
  /** Transport errors and timeouts. */
  errors: number;
  /** Answers that were not 200. */
  non2xx: number;
  /** 200 answers whose data was not the expected data. */
  mismatches: number;
  seconds: number;
  /** Every answer's latency, in milliseconds. */
  latencies: number[];
}

export type LoadOptions = {
  url: string;
  connections: number;
  seconds: number;
  /** Counts answers as they arrive, for readings taken while the load runs. */
  live?: { answers: number };
  /** Whether a 200 answer is right. @default its data is the request's expected data (answerMatches) */
  verify?: (answer: string, request: WorkloadRequest) => boolean;
  /** Called with the first wrong answer (for a readable failure). */
  onWrong?: (request: WorkloadRequest, status: number, answer: string) => void;
} & (
  | { /** Sent in turn: each request goes to the next connection that is free. */ requests: readonly WorkloadRequest[] }
  | { body: string; headers?: Record<string, string> }
);

/**
 * Closed-loop load: `connections` clients, each sending its next request when the last is
 * answered, and every answer checked against its request's expected data.
 */
export function runLoad(options: LoadOptions): Promise<Slice> {
  const latencies: number[] = [];
  const requests =
    'requests' in options
      ? options.requests
      : [{ operation: 'request', body: options.body, headers: options.headers ?? {}, expected: '' }];
  const verify = options.verify ?? ((answer, request) => answerMatches(answer, request.expected));
  let next = 0;
  let mismatches = 0;
  let reported = false;
  const check = (request: WorkloadRequest, status: number, answer: string) => {
    const wrong = status === 200 ? !verify(answer, request) : true;
    if (!wrong) return;
    if (status === 200) mismatches++;
    if (!reported) options.onWrong?.(request, status, answer);
    reported = true;
  };
  const autocannon = require('autocannon') as typeof Autocannon;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        connections: options.connections,
        duration: options.seconds,
        timeout: 30,
        requests: [
          {
            // One shared cursor: concurrent requests are consecutive entries of the list, which
            // for the varied workload are independent draws.
            setupRequest: (request, context) => {
              const item = requests[next++ % requests.length] as WorkloadRequest;
              context.item = item;
              return { ...request, body: item.body, headers: { ...request.headers, ...item.headers } };
            },
            onResponse: (status, body, context) => check(context.item as WorkloadRequest, status, body),
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          requests: result.requests.total,
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
          mismatches,
          seconds: result.duration,
          latencies,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      if (options.live) options.live.answers += 1;
    });
  });
}

/** Percentile (0..100) of already sorted values, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
