import { build, upToDate } from './build.js';
import { launchSystem, parsePortBase, SERVICES, type ServiceName } from './system.js';

// `npm start`: the whole system on the default ports (docs/contract.md §1), or moved together by
// EDGEWAY_PORT_BASE, one readable line per log record. What the environment sets wins; the
// launcher fills in only what is unset, and says which values it chose. It builds first (when a
// source is newer than the last build) and runs the compiled JS, as the images do.
const COLORS = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96];
const width = Math.max(...SERVICES.map((s) => s.name.length));
const tty = process.stdout.isTTY;
const LEVELS: Record<string, string> = {
  '10': 'trace',
  '20': 'debug',
  '30': 'info',
  '40': 'warn',
  '50': 'error',
  '60': 'fatal',
};
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'name', 'service', 'msg']);

function prefix(service: ServiceName): string {
  const label = service.padEnd(width);
  const color = COLORS[SERVICES.findIndex((s) => s.name === service) % COLORS.length];
  return tty ? `\x1b[${color}m${label}\x1b[0m |` : `${label} |`;
}

function format(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const record = JSON.parse(line) as Record<string, unknown>;
    const level = LEVELS[String(record.level)] ?? String(record.level ?? '');
    const fields = Object.entries(record)
      .filter(([k]) => !HIDDEN.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `${level.padEnd(5)} ${record.msg ?? ''} ${fields}`.trimEnd();
  } catch {
    return line;
  }
}

let portBase: number;
try {
  portBase = parsePortBase(process.env.EDGEWAY_PORT_BASE);
} catch (error) {
  process.stderr.write(`Edgeway did not start: ${(error as Error).message}\n`);
  process.exit(1);
}
// One PORT cannot serve eleven services: each gets its own from the port base.
if (process.env.PORT)
  process.stdout.write(`PORT=${process.env.PORT} is ignored: use EDGEWAY_PORT_BASE to move every port\n`);
const given = Object.fromEntries(
  Object.entries(process.env).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== 'PORT',
  ),
);

try {
  if (!upToDate()) build();
} catch {
  process.stderr.write('\nEdgeway did not start: the build failed (above)\n');
  process.exit(1);
}

const system = await launchSystem({
  ports: 'default',
  built: true,
  portBase,
  env: given,
  onLine: (service, line) => process.stdout.write(`${prefix(service)} ${format(line)}\n`),
}).catch((error: unknown) => {
  process.stderr.write(`\nEdgeway did not start: ${(error as Error).message}\n`);
  process.exit(1);
});

const url = (name: ServiceName) => system.services.find((s) => s.name === name)?.url;
const wiring = [
  ...Object.entries(system.chosen).map(([name, value]) => `  ${name}=${value}`),
  ...system.kept.map((name) => `  ${name}=${given[name]} (from your environment)`),
].join('\n');
process.stdout.write(`
Edgeway is up (${(performance.now() / 1000).toFixed(1)} s).
${SERVICES.map((s) => `  ${s.name.padEnd(width)}  ${url(s.name)}`).join('\n')}

Wiring (set any of these yourself and it is kept):
${wiring}

Endpoints:
  gateway     ${url('gateway')}/graphql
  bff-web     ${url('bff-web')}/graphql
  bff-mobile  ${url('bff-mobile')}/graphql
  identity    ${url('identity')}/.well-known/jwks.json

A development token for user 1:
  npm run -s token -- 1
  curl -s -X POST ${url('identity')}/token -H 'content-type: application/json' -d '{"sub":"1"}'

Try:
  curl -s ${url('bff-mobile')}/graphql -H 'content-type: application/json' \\
    -d '{"query":"{ home(first: 3) { topProducts { name price { amount source } } } }"}'

Ctrl-C stops every service.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping...\n');
    void system.stop().then(() => process.exit(0));
  });
}
for (const service of system.services) {
  service.child.once('exit', (code, signal) => {
    if (!stopping) process.stdout.write(`${prefix(service.name)} exited (code ${code}, signal ${signal})\n`);
  });
}
