// The mobile home screen's slowest dependency chain, measured without the BFF: what its three
// upstream requests cost when sent straight from here, side by side, as the BFF sends them.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** One request of the chain: sent after `delayMs` (the x-chaos latency the BFF adds), checked. */
export interface ChainLeg {
  name: string;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  delayMs: number;
  check: (status: number, body: string) => boolean;
}

export interface ChainSample {
  /** Milliseconds until the last leg answered. */
  total: number;
  /** Milliseconds of each leg, delay included, by leg name. */
  legs: Record<string, number>;
}

export interface ChainRun {
  samples: ChainSample[];
  seconds: number;
  /** Legs that failed their check or their transport. */
  failures: number;
}

// One kept-alive socket per leg, as the BFF's pools reuse theirs: connection setup is not measured.
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** Sends one leg now (no delay) over the kept-alive sockets. */
export function sendLeg(
  leg: Omit<ChainLeg, 'delayMs' | 'check' | 'name'> & { name: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      leg.url,
      {
        method: leg.method,
        agent,
        headers: leg.body === undefined ? leg.headers : { 'content-type': 'application/json', ...leg.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${leg.name}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(leg.body);
  });
}

async function runLeg(leg: ChainLeg, started: number): Promise<{ ms: number; ok: boolean }> {
  // The same timer the BFF's policy sleeps on for x-chaos `slow`.
  if (leg.delayMs > 0) await sleep(leg.delayMs);
  try {
    const { status, body } = await sendLeg(leg);
    return { ms: performance.now() - started, ok: leg.check(status, body) };
  } catch {
    return { ms: performance.now() - started, ok: false };
  }
}

/** One chain: every leg at once; done when the last answers. */
export async function runChain(legs: readonly ChainLeg[]): Promise<{ sample: ChainSample; failures: number }> {
  const started = performance.now();
  const results = await Promise.all(legs.map((leg) => runLeg(leg, started)));
  return {
    sample: {
      total: performance.now() - started,
      legs: Object.fromEntries(legs.map((leg, i) => [leg.name, results[i]?.ms ?? Number.NaN])),
    },
    failures: results.filter((r) => !r.ok).length,
  };
}

/** Chains one after another (one connection per leg, closed loop) for `seconds`. */
export async function loadChain(legs: readonly ChainLeg[], seconds: number): Promise<ChainRun> {
  const samples: ChainSample[] = [];
  let failures = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    const result = await runChain(legs);
    samples.push(result.sample);
    failures += result.failures;
  }
  return { samples, seconds: (performance.now() - started) / 1000, failures };
}

/**
 * The environment the BFF benchmarks start the whole system with: no rate limit, no Apollo
 * reporting, `info` logs (launchSystem waits for each service's "listening" line), and
 * development mode (x-chaos is honoured, bff-mobile takes operations that are not persisted).
 */
export const BENCH_SYSTEM_ENV = {
  RATE_LIMIT_ENABLED: 'false',
  APOLLO_TELEMETRY_DISABLED: 'true',
  LOG_LEVEL: 'info',
  NODE_ENV: 'development',
} as const;
