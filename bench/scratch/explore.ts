import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchSystem } from '../../scripts/system.js';
import { startSpanReceiver } from '../src/spans.js';

const receiver = await startSpanReceiver();
const system = await launchSystem({
  ports: 'free', built: true,
  env: { RATE_LIMIT_ENABLED: 'false', APOLLO_TELEMETRY_DISABLED: 'true', LOG_LEVEL: 'info', NODE_ENV: 'development',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_TRACES_SAMPLER: 'parentbased_always_off', OTEL_BSP_SCHEDULE_DELAY: '200' },
  onLine: () => {},
});
const get = (n: string) => system.services.find((s) => s.name === n)!;
try {
  const t = await fetch(`${get('identity').url}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: '1' }) });
  const token = ((await t.json()) as { access_token: string }).access_token;
  const body = JSON.stringify({ query: readFileSync('../bff-mobile/operations/HomeScreen.graphql', 'utf8'), operationName: 'HomeScreen' });
  const send = async (traceparent?: string) => {
    const t0 = performance.timeOrigin + performance.now();
    const r = await fetch(`${get('bff-mobile').url}/graphql`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-chaos': 'pricing=slow:20,recommendations=slow:20', ...(traceparent ? { traceparent } : {}) } });
    await r.text();
    return [t0, performance.timeOrigin + performance.now()];
  };
  const end = Date.now() + 8000;
  while (Date.now() < end) await send();
  const traceId = randomBytes(16).toString('hex');
  receiver.watch(traceId);
  const [t0, t1] = await send(`00-${traceId}-${randomBytes(8).toString('hex')}-01`);
  await sleep(1500);
  const spans = receiver.spans(traceId).sort((a, b) => a.start - b.start);
  console.log('client', 0, (t1 - t0).toFixed(2));
  const depth = (s: typeof spans[0]): number => { const p = spans.find((x) => x.spanId === s.parentSpanId); return p ? depth(p) + 1 : 0; };
  console.log("spans", spans.length, "by name", JSON.stringify(Object.entries(spans.reduce((m: Record<string, number>, s) => (m[s.service + " " + s.name] = (m[s.service + " " + s.name] ?? 0) + 1, m), {}))));
  for (const s of spans.filter((s) => !/dataloader.(prime|load )/.test(s.name))) console.log(`${' '.repeat(depth(s) * 2)}${s.service} ${s.name} +${(s.start - t0).toFixed(2)} ${(s.end - s.start).toFixed(2)}ms ${JSON.stringify(s.attributes).slice(0, 150)}`);
} finally {
  await system.stop();
  await receiver.close();
}
