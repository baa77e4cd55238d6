import { readFileSync } from 'node:fs';
import { launchSystem, BFF_NODE_OPTIONS } from '../../scripts/system.js';
import { runLoad } from '../src/load.js';

const dir = process.argv[2] ?? '/tmp/bfflat/prof';
const system = await launchSystem({
  ports: 'free', built: true,
  env: { RATE_LIMIT_ENABLED: 'false', APOLLO_TELEMETRY_DISABLED: 'true', LOG_LEVEL: 'info', NODE_ENV: 'development' },
  serviceEnv: { 'bff-mobile': { NODE_OPTIONS: `${BFF_NODE_OPTIONS} --import /tmp/bfflat/cpuprof.mjs`, PROF_DIR: dir } },
  onLine: () => {},
});
const get = (n: string) => system.services.find((s) => s.name === n)!;
try {
  const t = await fetch(`${get('identity').url}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: '1' }) });
  const token = ((await t.json()) as { access_token: string }).access_token;
  const body = JSON.stringify({ query: readFileSync('../bff-mobile/operations/HomeScreen.graphql', 'utf8'), operationName: 'HomeScreen' });
  const opts = { url: `${get('bff-mobile').url}/graphql`, body, headers: { authorization: `Bearer ${token}`, 'x-chaos': 'pricing=slow:20,recommendations=slow:20' }, connections: 1, verify: (b: string) => b.includes('"recommended":[{') };
  await runLoad({ ...opts, seconds: 5 });
  get('bff-mobile').child.kill('SIGUSR1');
  const r = await runLoad({ ...opts, seconds: 20 });
  const sorted = [...r.latencies].sort((a, b) => a - b);
  get('bff-mobile').child.kill('SIGUSR2');
  await new Promise((r) => setTimeout(r, 2000));
  console.log('requests', r.requests, 'mismatches', r.mismatches, 'p50', sorted[Math.floor(sorted.length / 2)]);
} finally {
  await system.stop();
}
