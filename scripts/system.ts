import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The services of docs/contract.md §1, in start order on free ports: each stage needs the URLs of the ones before. */
export const SERVICES = [
  { name: 'identity', folder: 'services/identity', port: 4300, stage: 0 },
  { name: 'accounts', folder: 'subgraphs/accounts', port: 4101, stage: 0 },
  { name: 'products', folder: 'subgraphs/products', port: 4102, stage: 0 },
  { name: 'reviews', folder: 'subgraphs/reviews', port: 4103, stage: 0 },
  { name: 'inventory', folder: 'subgraphs/inventory', port: 4104, stage: 0 },
  { name: 'orders', folder: 'subgraphs/orders', port: 4105, stage: 0 },
  { name: 'pricing', folder: 'services/pricing', port: 4201, stage: 0 },
  { name: 'recommendations', folder: 'services/recommendations', port: 4202, stage: 0 },
  { name: 'gateway', folder: 'gateway', port: 4000, stage: 1 },
  { name: 'bff-web', folder: 'bff-web', port: 4001, stage: 2 },
  { name: 'bff-mobile', folder: 'bff-mobile', port: 4002, stage: 2 },
] as const;

export type ServiceName = (typeof SERVICES)[number]['name'];

export interface RunningService {
  name: ServiceName;
  url: string;
  child: ChildProcess;
}

export interface LaunchOptions {
  /**
   * 'default' uses the default ports (docs/contract.md §1), moved together by `portBase`; 'free'
   * lets each service pick a free port (tests).
   */
  ports: 'default' | 'free';
  /** Where the default ports start: the gateway's port; every other port keeps its distance from it. @default 4000 */
  portBase?: number;
  /**
   * Environment for every service. What it sets wins over the launcher's wiring (the URLs of the
   * services it started): a user's own `JWKS_URL` or `GATEWAY_URL` is kept.
   */
  env?: Record<string, string>;
  /** Extra environment for one service, over `env`. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Start only these services (a test's own small system). @default every service */
  only?: readonly ServiceName[];
  /** Receives every output line of every service. */
  onLine?: (service: ServiceName, line: string, stream: 'stdout' | 'stderr') => void;
  /** Run each service's built dist/main.js (`npm run build` first), as the images do. @default false: the sources, through tsx */
  built?: boolean;
  /** Longest wait for one service to listen (generous: a loaded 2-core machine starts 11 of them). @default 120000 */
  startTimeoutMs?: number;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * V8 heap settings the gateway runs with everywhere (here, docker-compose.yml, ops/k8s, the
 * benchmark): without a cap V8 lets the old generation grow to several times the live heap
 * under load (about 500 MiB peak against ~90 MiB live); capped, it collects earlier at no
 * measured cost in throughput, and larger young semi-spaces let per-request garbage die young.
 * docs/performance.md has the measurements; docs/operations.md how to size them.
 */
export const GATEWAY_NODE_OPTIONS = '--max-old-space-size=320 --max-semi-space-size=32';
/**
 * The BFFs' heap, sized as the gateway's: a live heap of the same order (~85 MiB under load) in
 * the same 512 Mi container, which uncapped grew to 466 MiB RSS while failing fast.
 */
export const BFF_NODE_OPTIONS = '--max-old-space-size=320 --max-semi-space-size=32';
/** Where each service's V8 flags are chosen (an explicit NODE_OPTIONS wins); the others run with Node's defaults. */
export const NODE_OPTIONS_OF: Partial<Record<ServiceName, string>> = {
  gateway: GATEWAY_NODE_OPTIONS,
  'bff-web': BFF_NODE_OPTIONS,
  'bff-mobile': BFF_NODE_OPTIONS,
};
/** The same command as every workspace's `npm start`: tracing is loaded before the app. */
export const START_ARGS = [
  '--conditions=edgeway-source',
  '--import',
  'tsx',
  '--import',
  '@edgeway/platform/telemetry/register',
  'src/main.ts',
];
/** The images' command: the JS `npm run build` wrote to dist/, no TypeScript loader (starts about twice as fast). */
export const BUILT_START_ARGS = ['--import', '@edgeway/platform/telemetry/register', 'dist/main.js'];

/** The first port of the default layout: `portBase` moves every port by the same distance. */
export const DEFAULT_PORT_BASE = 4000;
const HIGHEST_PORT = Math.max(...SERVICES.map((s) => s.port)) - DEFAULT_PORT_BASE;

/** A service's port when the layout starts at `base` (the gateway's port). */
export function portOf(service: (typeof SERVICES)[number], base = DEFAULT_PORT_BASE): number {
  return base + service.port - DEFAULT_PORT_BASE;
}

/** Reads a port base (`EDGEWAY_PORT_BASE`): whole, and leaving room for every service's port. */
export function parsePortBase(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT_BASE;
  const base = Number(value);
  if (!Number.isInteger(base) || base < 1024 || base + HIGHEST_PORT > 65535) {
    throw new Error(
      `EDGEWAY_PORT_BASE must be a whole number from 1024 to ${65535 - HIGHEST_PORT} (the services use it to +${HIGHEST_PORT}); got "${value}"`,
    );
  }
  return base;
}

/** The environment a service needs to find the services started before it. */
function wiring(urls: Partial<Record<ServiceName, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  if (urls.identity) {
    env.JWKS_URL = `${urls.identity}/.well-known/jwks.json`;
  }
  for (const name of ['accounts', 'products', 'reviews', 'inventory', 'orders'] as const) {
    if (urls[name]) env[`SUBGRAPH_${name.toUpperCase()}_URL`] = `${urls[name]}/graphql`;
  }
  if (urls.pricing) env.PRICING_URL = urls.pricing;
  if (urls.recommendations) env.RECOMMENDATIONS_URL = urls.recommendations;
  if (urls.gateway) env.GATEWAY_URL = `${urls.gateway}/graphql`;
  return env;
}

const SUBGRAPH_NAMES: readonly ServiceName[] = ['accounts', 'products', 'reviews', 'inventory', 'orders'];

/**
 * Secrets made fresh for each launch, each given only to the services that use it, unless the
 * environment sets them: the key the gateway signs subgraph credentials with, and an API key the
 * BFFs present to the gateway, so their anonymous traffic has its own budget there instead of
 * sharing one IP's anonymous budget.
 */
function launchSecrets(given: Record<string, string | undefined>): (name: ServiceName) => Record<string, string> {
  const signing: Record<string, string> = given.INTERNAL_SIGNING_KEY
    ? {}
    : { INTERNAL_SIGNING_KEY: randomBytes(32).toString('base64url') };
  const bffKey = given.GATEWAY_API_KEY ? undefined : randomBytes(24).toString('base64url');
  const apiKeys = bffKey && {
    API_KEYS: [given.API_KEYS, `bffs:${createHash('sha256').update(bffKey).digest('hex')}:1000000`]
      .filter(Boolean)
      .join(','),
  };
  return (name) => {
    const flags = given.NODE_OPTIONS ?? NODE_OPTIONS_OF[name];
    const heap: Record<string, string> = flags ? { NODE_OPTIONS: flags } : {};
    if (name === 'gateway') return { ...signing, ...apiKeys, ...heap };
    if (SUBGRAPH_NAMES.includes(name)) return signing;
    if ((name === 'bff-web' || name === 'bff-mobile') && bffKey) return { ...heap, GATEWAY_API_KEY: bffKey };
    return heap;
  };
}

/** Starts one service as its `npm start` does and resolves with its URL once it listens. */
export function startService(
  service: (typeof SERVICES)[number],
  env: Record<string, string>,
  options: Pick<LaunchOptions, 'onLine' | 'startTimeoutMs' | 'built'> & {
    onSpawn?: (child: ChildProcess) => void;
  } = {},
): Promise<RunningService> {
  const args = options.built ? BUILT_START_ARGS : START_ARGS;
  const child = spawn(process.execPath, args, {
    cwd: `${ROOT}/${service.folder}`,
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  options.onSpawn?.(child);
  for (const stream of ['stdout', 'stderr'] as const) {
    // Piped above, so never null (the 'ipc' entry makes the types say it might be).
    createInterface({ input: child[stream]! }).on('line', (line) => options.onLine?.(service.name, line, stream));
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${service.name} did not start within ${options.startTimeoutMs ?? 120_000} ms`));
    }, options.startTimeoutMs ?? 120_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${service.name} exited during start (code ${code}, signal ${signal})`));
    });
    // The service says where it listens over the IPC channel, whatever its log level.
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message?.type !== 'listening' || !message.url) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.channel?.unref();
      resolve({ name: service.name, url: message.url, child });
    });
  });
}

/** Where a service on a known port is reached: its own HOST unless that is a wildcard address. */
function knownUrl(service: (typeof SERVICES)[number], env: Record<string, string | undefined>, base?: number): string {
  const host = env.HOST && !['0.0.0.0', '::', '[::]'].includes(env.HOST) ? env.HOST : '127.0.0.1';
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${portOf(service, base)}`;
}

/**
 * Starts the whole system; stops what started if any service fails to start. On known ports
 * every service starts at once, wired to the ports the others will listen on (none needs another
 * to be up to start: the gateway reads its supergraph from a file, tokens are checked against
 * the JWKS when the first one arrives). Start-up is CPU-bound, so this is what keeps `npm start`
 * short on a small machine. On free ports a stage starts once the ones before it say where they
 * listen.
 */
export async function launchSystem(options: LaunchOptions): Promise<RunningSystem> {
  const running: RunningService[] = [];
  const envOf = new Map<ServiceName, Record<string, string>>();
  const spawned: ChildProcess[] = [];
  const stop = () => stopAll(running);
  const urls: Partial<Record<ServiceName, string>> = {};
  const selected = SERVICES.filter((s) => options.only?.includes(s.name) ?? true);
  if (options.ports === 'default') {
    for (const service of selected) {
      urls[service.name] = knownUrl(
        service,
        { ...process.env, ...options.env, ...options.serviceEnv?.[service.name] },
        options.portBase,
      );
    }
  }
  const stages = options.ports === 'default' ? [selected] : [0, 1, 2].map((n) => selected.filter((s) => s.stage === n));
  const secrets = launchSecrets({ ...process.env, ...options.env });
  const chosen: Record<string, string> = {};
  const kept = new Set<string>();
  /** The launcher's wiring, for what the caller's environment leaves unset. */
  const fill = (given: Record<string, string>) => {
    const filled: Record<string, string> = {};
    for (const [name, value] of Object.entries(wiring(urls))) {
      if (given[name] !== undefined) kept.add(name);
      else filled[name] = chosen[name] = value;
    }
    return filled;
  };
  try {
    for (const stage of stages) {
      const started = await Promise.all(
        stage.map((service) => {
          const given = { ...options.env, ...options.serviceEnv?.[service.name] };
          return startService(
            service,
            remember(envOf, service.name, {
              ...secrets(service.name),
              ...fill(given),
              ...given,
              PORT: options.ports === 'free' ? '0' : String(portOf(service, options.portBase)),
            }),
            { ...options, onSpawn: (child) => spawned.push(child) },
          ).then((r) => {
            running.push(r);
            return r;
          });
        }),
      );
      for (const s of started) urls[s.name] = s.url;
    }
  } catch (error) {
    for (const child of spawned) if (!running.some((r) => r.child === child)) child.kill('SIGKILL');
    await stop();
    throw error;
  }
  const restart = async (name: ServiceName) => {
    const index = running.findIndex((r) => r.name === name);
    const previous = running[index];
    const service = SERVICES.find((s) => s.name === name);
    if (!previous || !service) throw new Error(`${name} is not part of this system`);
    // Drained as a deploy does it (SIGTERM, then SIGKILL only if it outlasts the grace), not killed.
    await stopAll([previous]);
    const port = new URL(previous.url).port;
    const next = await startService(service, { ...envOf.get(name), PORT: port }, options);
    running[index] = next;
    return next;
  };
  return { services: running, stop, restart, chosen, kept: [...kept].sort() };
}

export interface RunningSystem {
  services: RunningService[];
  /** The wiring the launcher chose, for what the given environment left unset. */
  chosen: Readonly<Record<string, string>>;
  /** Wiring variables the given environment set, and which the launcher therefore left alone. */
  kept: readonly string[];
  stop: () => Promise<void>;
  /** Stops a service as a deploy does (SIGTERM, drain, SIGKILL after 8 s) and starts it again on the same port with the same environment. */
  restart: (name: ServiceName) => Promise<RunningService>;
}

function remember(envOf: Map<ServiceName, Record<string, string>>, name: ServiceName, env: Record<string, string>) {
  envOf.set(name, env);
  return env;
}

/** SIGTERM to every child, SIGKILL to any still alive after `graceMs`. */
export async function stopAll(services: RunningService[], graceMs = 8000): Promise<void> {
  await Promise.all(
    services.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}
