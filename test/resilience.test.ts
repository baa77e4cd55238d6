import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchSystem, type RunningSystem, type ServiceName } from '../scripts/system.js';

// Real processes, real failures: a system of its own (the shared one must stay healthy), with
// short deadlines so that timeouts and half-open waits fit in a test.
const TIMEOUT_MS = 1000;
const HALF_OPEN_MS = 1500;

let system: RunningSystem;
let token: string;

const url = (name: ServiceName) => system.services.find((s) => s.name === name)!.url;
const child = (name: ServiceName) => system.services.find((s) => s.name === name)!.child;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Degraded {
  path: Array<string | number>;
  dependency: string;
  reason: string;
  fallback: string;
}
interface HomeAnswer {
  status: number;
  cacheControl: string | null;
  data: {
    home: {
      viewer: { name: string } | null;
      topProducts: Array<{ upc: string; price: { source: string }; rating: number | null }>;
      recommended: Array<{ upc: string }>;
    } | null;
  } | null;
  errors?: Array<{ path?: Array<string | number>; extensions?: { code?: string } }>;
  degraded: Degraded[];
}

const HOME = `{ home(first: 5) { viewer { name } topProducts { upc price { source } rating } recommended { upc } } }`;

async function home(): Promise<HomeAnswer> {
  const response = await fetch(`${url('bff-mobile')}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: HOME }),
  });
  const body = (await response.json()) as {
    data: HomeAnswer['data'];
    errors?: HomeAnswer['errors'];
    extensions?: { degraded?: Degraded[] };
  };
  return {
    status: response.status,
    cacheControl: response.headers.get('cache-control'),
    data: body.data,
    errors: body.errors,
    degraded: body.extensions?.degraded ?? [],
  };
}

/** Sends requests until `done` says so (bounded), returning every answer. */
async function until(done: (answer: HomeAnswer) => boolean, max = 40): Promise<HomeAnswer[]> {
  const answers: HomeAnswer[] = [];
  for (let i = 0; i < max; i++) {
    const answer = await home();
    answers.push(answer);
    if (done(answer)) return answers;
  }
  throw new Error(`condition not reached in ${max} requests: last ${JSON.stringify(answers.at(-1))}`);
}

const reasonsOf = (answers: HomeAnswer[], dependency: string) =>
  answers.flatMap((a) => a.degraded.filter((d) => d.dependency === dependency).map((d) => d.reason));

async function recovers(): Promise<HomeAnswer> {
  await sleep(HALF_OPEN_MS + 100);
  const answer = await home();
  return answer;
}

beforeAll(async () => {
  system = await launchSystem({
    ports: 'free',
    only: [
      'identity',
      'accounts',
      'products',
      'reviews',
      'inventory',
      'orders',
      'pricing',
      'recommendations',
      'gateway',
      'bff-mobile',
    ],
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
      BREAKER_HALF_OPEN_AFTER_MS: String(HALF_OPEN_MS),
      RATE_LIMIT_MAX: '100000',
    },
    // The gateway's whole-answer cache would go on answering from the subgraphs' cache hints for
    // up to their max-age after one dies (as it should): here every failure must show at once.
    serviceEnv: { gateway: { RESPONSE_CACHE_ENABLED: 'false' } },
  });
  const response = await fetch(`${url('identity')}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: '1' }),
  });
  token = ((await response.json()) as { access_token: string }).access_token;
  // Warm up: the first requests plan queries and open connections, which on a loaded machine can
  // outlast the short test deadline. Start the tests from a whole answer.
  for (let i = 0; i < 20; i++) {
    if ((await home()).degraded.length === 0) break;
    await sleep(HALF_OPEN_MS + 100);
  }
}, 180_000);

afterAll(() => system?.stop());

describe('a BFF when a dependency fails (real processes)', () => {
  it('is whole while everything is up', async () => {
    const answer = await home();
    expect(answer.status).toBe(200);
    expect(answer.degraded).toEqual([]);
    expect(answer.data?.home?.recommended.length).toBeGreaterThan(0);
  });

  it('recommendations killed: 100 answers are 200 with topProducts intact, the last good picks (STALE), and the manifest; the circuit opens; it heals after the half-open wait', async () => {
    const healthy = await home();
    child('recommendations').kill('SIGKILL');
    const answers: HomeAnswer[] = [];
    for (let i = 0; i < 100; i++) answers.push(await home());
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.home?.topProducts.map((p) => p.upc)).toEqual(
        healthy.data?.home?.topProducts.map((p) => p.upc),
      );
      expect(answer.data?.home?.recommended).toEqual(healthy.data?.home?.recommended);
      expect(answer.degraded).toEqual([
        { path: ['home', 'recommended'], dependency: 'recommendations', reason: expect.any(String), fallback: 'STALE' },
      ]);
      expect(answer.cacheControl).toBe('no-store');
    }
    const reasons = reasonsOf(answers, 'recommendations');
    expect(reasons[0]).toBe('UPSTREAM_ERROR');
    // Open from then on, but for a trial call now and then (backing off from 250 ms).
    expect(reasons.slice(-10).filter((r) => r === 'CIRCUIT_OPEN').length).toBeGreaterThanOrEqual(7);
    expect(reasons.indexOf('CIRCUIT_OPEN')).toBeLessThanOrEqual(10);

    const health = (await (await fetch(`${url('bff-mobile')}/health/dependencies`)).json()) as {
      dependencies: Array<{ name: string; circuit: string; lastError: { reason: string } | null }>;
    };
    expect(health.dependencies.find((d) => d.name === 'recommendations')).toMatchObject({
      circuit: 'open',
      lastError: { reason: 'UPSTREAM_ERROR' },
    });
    expect((await fetch(`${url('bff-mobile')}/readyz`)).status).toBe(200);

    await system.restart('recommendations');
    const healed = await recovers();
    expect(healed.degraded).toEqual([]);
  }, 120_000);

  it('pricing frozen (SIGSTOP, a hang): LIST prices after TIMEOUT, then CIRCUIT_OPEN; whole again after SIGCONT', async () => {
    child('pricing').kill('SIGSTOP');
    try {
      const answers = await until((a) => reasonsOf([a], 'pricing').includes('CIRCUIT_OPEN'));
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.data?.home?.topProducts.every((p) => p.price.source === 'LIST')).toBe(true);
        expect(answer.degraded.some((d) => d.dependency === 'pricing' && d.fallback === 'LIST_PRICE')).toBe(true);
      }
      expect(reasonsOf(answers, 'pricing')[0]).toBe('TIMEOUT');
    } finally {
      child('pricing').kill('SIGCONT');
    }
    const healed = await recovers();
    expect(healed.degraded).toEqual([]);
    expect(healed.data?.home?.topProducts.every((p) => p.price.source === 'LIVE')).toBe(true);
  });

  it('a subgraph killed (reviews): ratings are null with the manifest naming it, the rest intact; heals when it returns', async () => {
    child('reviews').kill('SIGKILL');
    const answers = await until((a) => reasonsOf([a], 'reviews').includes('CIRCUIT_OPEN'));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.data?.home?.topProducts).toHaveLength(5);
      expect(answer.data?.home?.topProducts.every((p) => p.rating === null)).toBe(true);
      expect(answer.data?.home?.viewer?.name).toBe('Ada Lovelace');
      expect(answer.degraded.filter((d) => d.dependency === 'reviews').every((d) => d.fallback === 'NULL')).toBe(true);
      expect(JSON.stringify(answer)).not.toMatch(/https?:\/\//);
    }
    await system.restart('reviews');
    const healed = await recovers();
    expect(healed.degraded).toEqual([]);
  });

  it('the gateway frozen: the BFF still answers 200, says what it left out, and heals', async () => {
    child('gateway').kill('SIGSTOP');
    let answers: HomeAnswer[];
    try {
      answers = await until((a) => reasonsOf([a], 'gateway').includes('CIRCUIT_OPEN'));
    } finally {
      child('gateway').kill('SIGCONT');
    }
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.degraded.some((d) => d.dependency === 'gateway') || answer.errors?.length).toBeTruthy();
    }
    expect(reasonsOf(answers, 'gateway')[0]).toBe('TIMEOUT');
    const healed = await recovers();
    expect(healed.degraded).toEqual([]);
    expect(healed.errors).toBeUndefined();
  });

  it('pricing flapping: every answer is consistent (a LIST price always has its manifest entry)', async () => {
    let frozen = false;
    const flap = setInterval(() => {
      frozen = !frozen;
      child('pricing').kill(frozen ? 'SIGSTOP' : 'SIGCONT');
    }, 250);
    const answers: HomeAnswer[] = [];
    try {
      for (let i = 0; i < 30; i++) answers.push(await home());
    } finally {
      clearInterval(flap);
      child('pricing').kill('SIGCONT');
    }
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const listed = answer.data?.home?.topProducts.some((p) => p.price.source === 'LIST');
      const declared = answer.degraded.some((d) => d.dependency === 'pricing');
      expect(listed).toBe(declared);
    }
    const healed = await recovers();
    expect(healed.degraded).toEqual([]);
  });
});
