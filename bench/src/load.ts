import autocannon from 'autocannon';

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

export interface LoadOptions {
  url: string;
  body: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  /** Whether an answer body is right. */
  verify: (body: string) => boolean;
  /** Counts answers as they arrive, for readings taken while the load runs. */
  live?: { answers: number };
}

/** Closed-loop load: `connections` clients, each sending its next request when the last is answered. */
export function runLoad(options: LoadOptions): Promise<Slice> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: options.body,
        connections: options.connections,
        duration: options.seconds,
        timeout: 30,
        verifyBody: options.verify,
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          requests: result.requests.total,
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
          mismatches: result.mismatches,
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

/**
 * A verifier for GraphQL answers: the answer's `data`, serialized, must equal the expected data
 * serialized in the query's field order, and there must be no `errors`. Identical bodies are
 * recognised by a string comparison so checking every answer stays cheap for the load generator.
 */
export function dataVerifier(expectedData: unknown): (body: string) => boolean {
  const expected = JSON.stringify(expectedData);
  const known = new Set<string>();
  return (answer) => {
    // A per-request trace id at the very end does not make an answer different.
    const cut = answer.lastIndexOf(',"extensions":{"traceId":"');
    const body = cut > 0 && answer.length - cut < 80 ? `${answer.slice(0, cut)}}` : answer;
    if (known.has(body)) return true;
    let parsed: { data?: unknown; errors?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return false;
    }
    const ok = parsed.errors === undefined && JSON.stringify(parsed.data) === expected;
    if (ok && known.size < 64) known.add(body);
    return ok;
  };
}
