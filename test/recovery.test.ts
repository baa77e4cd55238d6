import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  launchSystem,
  type RunningService,
  type RunningSystem,
  SERVICES,
  type ServiceName,
  startService,
  stopAll,
} from '../scripts/system.js';
import { type Balancer, startBalancer } from './support/balancer.js';
import { type FakePricing, startFakePricing } from './support/fakePricing.js';

// How an open circuit comes back, with real processes: a system of its own with two gateway
// replicas behind a per-connection balancer (as a Service), a pricing service the test controls,
// and bff-mobile in front. Bounds are generous: the machine is shared; nothing asserts a duration
// tighter than several times what it measures.
const TIMEOUT_MS = 2000;
const HALF_OPEN_MS = 1500;
const SIGNING_KEY = 'recovery-test-signing-key-0123456789abcdef';

const BASE_ENV = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'info',
  INTERNAL_SIGNING_KEY: SIGNING_KEY,
  RATE_LIMIT_MAX: '1000000',
  RATE_LIMIT_ANONYMOUS_MAX: '1000000',
  UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
  BREAKER_HALF_OPEN_AFTER_MS: String(HALF_OPEN_MS),
};

let system: RunningSystem;
let pricing: FakePricing;
let balancer: Balancer;
let bff: RunningService;
const gateways: RunningService[] = [];
const bffLines: string[] = [];
let token: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const service = (name: ServiceName) => SERVICES.find((s) => s.name === name)!;
const url = (name: ServiceName) => system.services.find((s) => s.name === name)!.url;

function gatewayEnv(): Record<string, string> {
  const env: Record<string, string> = {
    ...BASE_ENV,
    RESPONSE_CACHE_ENABLED: 'false',
    JWKS_URL: `${url('identity')}/.well-known/jwks.json`,
    PORT: '0',
  };
  for (const name of ['accounts', 'products', 'reviews', 'inventory', 'orders'] as const) {
    env[`SUBGRAPH_${name.toUpperCase()}_URL`] = `${url(name)}/graphql`;
  }
  return env;
}

interface Answer {
  status: number;
  ms: number;
  degraded: Array<{ dependency: string; reason: string }>;
  errors: unknown[];
}

const HOME = `{ home(first: 5) { viewer { name } topProducts { upc price { source } } recommended { upc } } }`;

async function home(): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${bff.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: HOME }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as { errors?: unknown[]; extensions?: { degraded?: Answer['degraded'] } };
  return {
    status: response.status,
    ms: performance.now() - started,
    degraded: body.extensions?.degraded ?? [],
    errors: body.errors ?? [],
  };
}

const reasons = (answers: Answer[], dependency: string) =>
  answers.flatMap((a) => a.degraded.filter((d) => d.dependency === dependency).map((d) => d.reason));

/** Batches of concurrent requests until `dependency`'s circuit answers CIRCUIT_OPEN (bounded). */
async function openCircuit(dependency: string): Promise<void> {
  for (let batch = 0; batch < 10; batch++) {
    const answers = await Promise.all(Array.from({ length: 5 }, () => home()));
    if (reasons(answers, dependency).includes('CIRCUIT_OPEN')) return;
  }
  throw new Error(`${dependency}'s circuit did not open`);
}

/** Until an answer is whole (bounded): each test starts from a healthy system. */
async function whole(): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const answer = await home();
    if (answer.degraded.length === 0 && answer.errors.length === 0) return;
    await sleep(500);
  }
  throw new Error('the system did not become whole');
}

async function dependencies(): Promise<{ ready: boolean; dependencies: Array<{ name: string; circuit: string }> }> {
  return (await (await fetch(`${bff.url}/health/dependencies`)).json()) as Awaited<ReturnType<typeof dependencies>>;
}
const circuitOf = async (name: string) => (await dependencies()).dependencies.find((d) => d.name === name)?.circuit;
const readyz = async () => (await fetch(`${bff.url}/readyz`)).status;

async function startBff(): Promise<RunningService> {
  return startService(
    service('bff-mobile'),
    {
      ...BASE_ENV,
      JWKS_URL: `${url('identity')}/.well-known/jwks.json`,
      GATEWAY_URL: `${balancer.url}/graphql`,
      PRICING_URL: pricing.url,
      RECOMMENDATIONS_URL: url('recommendations'),
      PORT: '0',
    },
    { onLine: (_name, line) => bffLines.push(line) },
  );
}

beforeAll(async () => {
  pricing = await startFakePricing();
  system = await launchSystem({
    ports: 'free',
    only: ['identity', 'accounts', 'products', 'reviews', 'inventory', 'orders', 'recommendations', 'gateway'],
    env: BASE_ENV,
    serviceEnv: { gateway: { RESPONSE_CACHE_ENABLED: 'false' } },
  });
  gateways.push(system.services.find((s) => s.name === 'gateway')!);
  gateways.push(await startService(service('gateway'), gatewayEnv()));
  balancer = await startBalancer(gateways.map((g) => g.url));
  bff = await startBff();
  const response = await fetch(`${url('identity')}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: '1' }),
  });
  token = ((await response.json()) as { access_token: string }).access_token;
  // Warm up (plans, connections) until an answer is whole.
  for (let i = 0; i < 30 && (await home()).degraded.length > 0; i++) await sleep(500);
}, 240_000);

afterAll(async () => {
  await stopAll([bff, ...gateways.slice(1)].filter(Boolean));
  await system?.stop();
  await balancer?.close();
  await pricing?.close();
});

describe('recovery of an open circuit (real processes)', () => {
  afterEach(() => {
    pricing.mode = { kind: 'up' };
    for (const g of gateways) g.child.kill('SIGCONT');
  });

  it('the BFF stays ready through a gateway outage, and its circuit closes by itself once the gateway thaws, with no queries', async () => {
    await whole();
    for (const g of gateways) g.child.kill('SIGSTOP');
    let readyWhileOpen: number;
    try {
      await openCircuit('gateway');
      expect(await circuitOf('gateway')).toBe('open');
      readyWhileOpen = await readyz();
    } finally {
      for (const g of gateways) g.child.kill('SIGCONT');
    }
    const thawed = performance.now();
    let closed = false;
    while (!closed && performance.now() - thawed < 15_000) {
      await sleep(200);
      closed = (await circuitOf('gateway')) === 'closed';
    }
    expect(closed).toBe(true);
    expect(await readyz()).toBe(200);
    // Every replica shares the gateway: one outage must not take them all out of the Service.
    expect(readyWhileOpen).toBe(200);
    expect((await home()).degraded).toEqual([]);
  }, 120_000);

  it('while the half-open trial is in flight, only the trial waits: the others take their fallback at once', async () => {
    await whole();
    pricing.mode = { kind: 'hung' };
    await openCircuit('pricing');
    await sleep(HALF_OPEN_MS + 200);
    const answers = await Promise.all(Array.from({ length: 10 }, () => home()));
    // Each answer's pricing entries (one per price it left out) share one reason.
    const pricingReasons = answers.map((a) => reasons([a], 'pricing')[0]);
    // The trial ran out its deadline; everybody else was told CIRCUIT_OPEN without waiting for it.
    expect(pricingReasons.filter((r) => r === 'TIMEOUT')).toHaveLength(1);
    expect(pricingReasons.filter((r) => r === 'CIRCUIT_OPEN')).toHaveLength(9);
    const trial = answers.find((a) => reasons([a], 'pricing')[0] === 'TIMEOUT')!;
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      // Not waiting for the trial: well within its time (a generous bound on a loaded machine).
      if (answer !== trial) expect(answer.ms).toBeLessThan(trial.ms * 0.75);
    }
  }, 120_000);

  it('every upstream request is closed at the server at its deadline, after a trial too', async () => {
    // The trial is answered (slowly); every request after it hangs.
    pricing.mode = { kind: 'firstSlowThenHung', delayMs: 800 };
    await sleep(HALF_OPEN_MS + 200);
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 10 }, () => home()));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await sleep(Math.max(0, TIMEOUT_MS + 1500 - (performance.now() - started)));
    expect(pricing.received()).toBeGreaterThan(0);
    expect(pricing.open()).toBe(0);
    expect(bffLines.some((line) => line.includes('MaxListenersExceededWarning'))).toBe(false);
    pricing.mode = { kind: 'up' };
    let closed = false;
    for (let i = 0; i < 50 && !closed; i++) {
      await sleep(200);
      closed = (await circuitOf('pricing')) === 'closed';
    }
    expect(closed).toBe(true);
  }, 120_000);

  it('a rolling restart of the gateway replicas under load costs no client request', async () => {
    await whole();
    let running = true;
    const answers: Answer[] = [];
    const load = Array.from({ length: 6 }, async () => {
      while (running) answers.push(await home());
    });
    try {
      await sleep(1000);
      for (let i = 0; i < gateways.length; i++) {
        const old = gateways[i]!;
        // The endpoint leaves the Service as the replica starts terminating; its open
        // connections stay and see the drain (answers with connection: close, then closed sockets).
        balancer.endpoints.delete(old.url);
        // The first replica goes the launcher's way (`restart`, as other tests model a deploy).
        const next =
          i === 0
            ? await system.restart('gateway')
            : await stopAll([old]).then(() => startService(service('gateway'), gatewayEnv()));
        gateways[i] = next;
        balancer.endpoints.add(next.url);
        await sleep(1000);
      }
    } finally {
      running = false;
      await Promise.all(load);
    }
    expect(answers.length).toBeGreaterThan(20);
    const failed = answers.filter(
      (a) => a.status !== 200 || a.errors.length > 0 || a.degraded.some((d) => d.dependency === 'gateway'),
    );
    expect(failed).toEqual([]);
  }, 240_000);
});
