// Where a mobile home request's milliseconds go, from its trace. The whole system (built) starts
// with its spans sent here; home is loaded as the BFF benchmark loads it (one connection, REST
// dependencies 20 ms slower by x-chaos), every request traced (a sampled `traceparent`); each
// trace gives one request's timeline, and the medians are printed.
//   npm run build && node --import tsx bench/src/bffTimeline.ts [traced requests, default 200]
// Spans start on a millisecond clock (OpenTelemetry JS), so each offset is exact to about 1 ms
// per request; durations are exact. Recording spans costs time of its own: the traced requests
// are slower than the benchmark's, and the BFF's own phases the most inflated.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_SYSTEM_ENV, type ChainLeg, sendLeg } from './bffChain.js';
import { percentile } from './load.js';
import { startSpanReceiver, type TimedSpan } from './spans.js';
import { ROOT } from './targets.js';
import { launchSystem, type RunningService } from '../../scripts/system.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DEPENDENCIES = ['gateway', 'pricing', 'recommendations'] as const;
const CHAOS = 'pricing=slow:20,recommendations=slow:20';

/** One traced request's phases, in milliseconds, by row name. */
type Phases = Map<string, number>;

function phasesOf(spans: readonly TimedSpan[], clientMs: number): Phases | undefined {
  const bff = spans.filter((s) => s.service === 'bff-mobile');
  const server = bff.find((s) => s.kind === 2);
  const operation = bff.find((s) => s.name.startsWith('query '));
  if (!server || !operation) return undefined;
  const phases: Phases = new Map();
  const set = (name: string, ms: number) => phases.set(name, ms);
  set('client: request sent to answer read', clientMs);
  set('  outside the BFF span (client, loopback, HTTP parse)', clientMs - (server.end - server.start));
  set(
    '  BFF: server span start to operation start (edge hooks, body, parse, validate, context)',
    operation.start - server.start,
  );
  let lastEnd = -Infinity;
  let last = '';
  for (const dependency of DEPENDENCIES) {
    const call = bff.find((s) => s.name === `upstream ${dependency}`);
    const http = call && bff.find((s) => s.kind === 3 && s.parentSpanId === call.spanId);
    const served = http && spans.find((s) => s.kind === 2 && s.parentSpanId === http.spanId);
    if (!call || !http) return undefined;
    set(`  ${dependency}: operation start to call`, call.start - operation.start);
    set(`  ${dependency}: call to HTTP request (x-chaos delay, policy)`, http.start - call.start);
    set(`  ${dependency}: HTTP request`, http.end - http.start);
    if (served) set(`  ${dependency}: its own server span`, served.end - served.start);
    set(`  ${dependency}: HTTP answer to call end (body, JSON)`, call.end - http.end);
    set(`  ${dependency}: operation start to call end`, call.end - operation.start);
    if (call.end > lastEnd) [lastEnd, last] = [call.end, dependency];
  }
  set(`  last call end to operation end (resolvers, serialising)`, operation.end - lastEnd);
  set('  operation end to server span end (send, hooks)', server.end - operation.end);
  phases.set(`last: ${last}`, 1);
  return phases;
}

function tokenFor(identity: RunningService): Promise<string> {
  return fetch(`${identity.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: '1' }),
  })
    .then((response) => response.json() as Promise<{ access_token: string }>)
    .then((body) => body.access_token);
}

const count = Number(process.argv[2] ?? 200);
const receiver = await startSpanReceiver();
const system = await launchSystem({
  ports: 'free',
  built: true,
  env: {
    ...BENCH_SYSTEM_ENV,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    // Only what this sends with a sampled traceparent is recorded.
    OTEL_TRACES_SAMPLER: 'parentbased_always_off',
    OTEL_BSP_SCHEDULE_DELAY: '200',
  },
  // The gateway and the subgraphs record nothing: their spans would slow the gateway round trip
  // several times over. Its time is the BFF's HTTP request to it.
  serviceEnv: Object.fromEntries(
    ['gateway', 'accounts', 'products', 'reviews', 'inventory', 'orders'].map((name) => [
      name,
      { OTEL_TRACES_SAMPLER: 'always_off' },
    ]),
  ),
});
try {
  const bff = system.services.find((s) => s.name === 'bff-mobile');
  const identity = system.services.find((s) => s.name === 'identity');
  if (!bff || !identity) throw new Error('bff-mobile or identity did not start');
  const home: Omit<ChainLeg, 'headers'> = {
    name: 'home',
    url: `${bff.url}/graphql`,
    method: 'POST',
    body: JSON.stringify({
      query: readFileSync(join(ROOT, 'bff-mobile/operations/HomeScreen.graphql'), 'utf8'),
      operationName: 'HomeScreen',
    }),
    delayMs: 0,
    check: (status, body) => status === 200 && body.includes('"recommended":[{') && !body.includes('"errors"'),
  };
  const headers = { authorization: `Bearer ${await tokenFor(identity)}`, 'x-chaos': CHAOS };
  // Warm-up, untraced: JIT, pools, the last-good answers home guesses from.
  for (const end = performance.now() + 5_000; performance.now() < end;) await sendLeg({ ...home, headers });
  const traced: Array<{ traceId: string; ms: number }> = [];
  for (let i = 0; i < count; i++) {
    const traceId = randomBytes(16).toString('hex');
    receiver.watch(traceId);
    const started = performance.now();
    const { status, body } = await sendLeg({
      ...home,
      headers: { ...headers, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    });
    if (!home.check(status, body)) throw new Error(`home answered ${status}: ${body.slice(0, 300)}`);
    traced.push({ traceId, ms: performance.now() - started });
  }
  await sleep(1_500);
  const all = traced.flatMap(({ traceId, ms }) => phasesOf(receiver.spans(traceId), ms) ?? []);
  const names = [...new Set(all.flatMap((phases) => [...phases.keys()]))];
  const lines = [`\nmobile home, ${all.length} of ${count} traced requests complete: median (p90) in ms\n`];
  for (const name of names) {
    if (name.startsWith('last: ')) continue;
    const sorted = all.map((p) => p.get(name) ?? Number.NaN).sort((a, b) => a - b);
    lines.push(
      `${percentile(sorted, 50).toFixed(1).padStart(7)} ${`(${percentile(sorted, 90).toFixed(1)})`.padStart(8)}  ${name}`,
    );
  }
  const lastCounts = DEPENDENCIES.map((d) => `${d} ${all.filter((p) => p.has(`last: ${d}`)).length}`);
  lines.push(`\nthe call that ended last: ${lastCounts.join(', ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await system.stop();
  await receiver.close();
}
