// `npm run bench`: the project's benchmarks, side by side in one run (docs/performance.md).
//   npm run bench                      gateways on both workloads, BFFs, 1 and 2 workers (about 19 minutes); writes docs/benchmarks/
//   npm run bench -- --quick           shorter slices, for a smoke run
//   npm run bench -- --only gateway    or: --only bff, --only workers (Edgeway with 1 and 2 workers)
//   npm run bench -- --targets edgeway,vanilla --workloads varied --rounds 3 --slice 10
//   npm run bench -- --node-options=--max-semi-space-size=32   the same flags for every gateway (with "=": the value starts with a dash)
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type BffBenchResult, runBffBench } from './bffBench.js'; // BFF benchmark
import { printBffReport } from './bffReport.js'; // BFF benchmark
import { type GatewayBenchResult, runGatewayBench } from './gatewayBench.js';
import { canPin, cpuCount, pinSelf, stopAll } from './proc.js';
import { type BenchResults, publishResults } from './publish.js';
import { printGatewayReport } from './report.js';
import { ROOT, TARGET_NAMES } from './targets.js';
import { WORKLOAD_NAMES } from './workload.js';
import { printWorkersReport, runWorkersBench, type WorkersBenchResult } from './workersBench.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    targets: { type: 'string', default: TARGET_NAMES.join(',') },
    workloads: { type: 'string', default: WORKLOAD_NAMES.join(',') },
    // NODE_OPTIONS for every gateway (edgeway-deployed keeps its own). @default '' (Node's defaults)
    'node-options': { type: 'string', default: '' },
    rounds: { type: 'string' },
    slice: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '50' },
    'bff-connections': { type: 'string', default: '1' },
    // The worker benchmark's load generator: wrk or autocannon. @default wrk where it is installed
    'load-generator': { type: 'string' },
    quick: { type: 'boolean', default: false },
    // Writes a V8 CPU profile of each gateway to bench/results/profiles (summarise: src/profile.ts).
    profile: { type: 'boolean', default: false },
    // Experiments: extra environment for Edgeway's gateway, e.g. --edgeway-env OTEL_SDK_DISABLED=true
    'edgeway-env': { type: 'string', multiple: true, default: [] },
    // Experiments: extra node flags for Edgeway's gateway, e.g. --edgeway-flag=--single-threaded-gc
    'edgeway-flag': { type: 'string', multiple: true, default: [] },
    // Experiments: more Edgeway gateways in the same interleaved run, e.g.
    //   --variant 'small-heap=--max-old-space-size=256'   (flags separated by spaces)
    variant: { type: 'string', multiple: true, default: [] },
    // Leaves out edgeway+cache.
    'no-cache': { type: 'boolean', default: false },
    // Writes docs/benchmarks/latest.{json,md}. @default only for a full run (all targets and
    // workloads, no --quick, no experiments)
    publish: { type: 'boolean' },
    out: { type: 'string', default: join(ROOT, 'bench', 'results', 'latest.json') },
  },
});

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const loadGenerator = values['load-generator'];
if (loadGenerator !== undefined && loadGenerator !== 'wrk' && loadGenerator !== 'autocannon') {
  throw new Error(`--load-generator: wrk or autocannon, not ${loadGenerator}`);
}
// The gateways run in their own process groups (so they can be stopped with their workers): an
// interrupted run stops them rather than leaving them running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void stopAll().finally(() => process.exit(130)));
}
const cores = cpuCount();
// The gateway gets core 0 to itself; the load generator, the subgraphs and the REST services share the rest.
const gatewayCpus = '0';
const loadCpus = cores > 1 ? `1-${cores - 1}` : '0';
if (canPin && cores > 1) pinSelf(loadCpus);
else log('taskset is missing or there is one core: processes are not pinned, figures are noisier');

const listOf = <T extends string>(value: string | undefined, known: readonly T[], what: string): T[] => {
  const list = (value ?? '').split(',').filter(Boolean) as T[];
  for (const item of list)
    if (!known.includes(item)) throw new Error(`unknown ${what} ${item}: one of ${known.join(', ')}`);
  return list;
};
const targets = listOf(values.targets, TARGET_NAMES, 'target').filter(
  (t) => !values['no-cache'] || t !== 'edgeway+cache',
);
const workloads = listOf(values.workloads, WORKLOAD_NAMES, 'workload');
const fullRun =
  !values.quick &&
  !values.only &&
  !values.profile &&
  targets.length === TARGET_NAMES.length &&
  workloads.length === WORKLOAD_NAMES.length &&
  !values.variant?.length &&
  !values['edgeway-env']?.length &&
  !values['edgeway-flag']?.length;

const results: BenchResults & { gateway?: GatewayBenchResult; bff?: BffBenchResult; workers?: WorkersBenchResult } = {
  command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
  machine: {
    cores,
    node: process.version,
    pinned: canPin && cores > 1,
    date: new Date().toISOString(),
    // The 1-minute load average: above the core count, other work competed with the benchmark.
    loadAverageBefore: loadavg()[0]?.toFixed(2),
  },
};

if (!values.only || values.only === 'gateway') {
  const gateway = await runGatewayBench({
    targets,
    workloads,
    equalNodeOptions: values['node-options'] ?? '',
    // Many short slices: a burst of noise on this shared machine then falls on one slice of each
    // gateway rather than on the whole measurement of one.
    sliceSeconds: Number(values.slice ?? (values.quick ? 4 : 6)),
    rounds: Number(values.rounds ?? (values.quick ? 2 : 5)),
    warmupSeconds: Number(values.warmup ?? (values.quick ? 4 : 8)),
    connections: Number(values.connections),
    gatewayCpus,
    loadCpus,
    edgewayEnv: Object.fromEntries((values['edgeway-env'] ?? []).map((kv) => kv.split(/=(.*)/s).slice(0, 2))),
    edgewayFlags: values['edgeway-flag'] ?? [],
    variants: (values.variant ?? []).map((v) => {
      const [label = v, flags = ''] = v.split(/=(.*)/s);
      return { label, flags: flags.split(' ').filter(Boolean) };
    }),
    profileDir: values.profile ? join(ROOT, 'bench', 'results', 'profiles') : undefined,
    log,
  });
  results.gateway = gateway;
  printGatewayReport(gateway);
}

// --- BFF benchmark (bench/src/bffBench.ts): the whole system once. One connection by default: the
// targets are about latency (the critical path through the dependencies), and on a 2-core machine
// that runs all eleven services more connections measure queueing for CPU instead. ---
if (!values.only || values.only === 'bff') {
  const bff = await runBffBench({
    sliceSeconds: Number(values.slice ?? (values.quick ? 5 : 15)),
    warmupSeconds: Number(values.warmup ?? (values.quick ? 2 : 5)),
    connections: Number(values['bff-connections']),
    // The services inherit this process's affinity: they get every core, the load generator keeps its own.
    ...(canPin && cores > 1 ? { systemCpus: `0-${cores - 1}`, loadCpus } : {}),
    log,
  });
  results.bff = bff;
  printBffReport(bff);
}
// --- end of BFF benchmark ---

// Worker mode (bench/src/workersBench.ts): Edgeway with 1 and 2 workers, every process on every
// core (this process too, from here on), so last.
if (!values.only || values.only === 'workers') {
  if (canPin && cores > 1) pinSelf(`0-${cores - 1}`);
  const workers = await runWorkersBench({
    workers: [1, 2],
    sliceSeconds: Number(values.slice ?? (values.quick ? 4 : 6)),
    rounds: Number(values.rounds ?? (values.quick ? 2 : 6)),
    warmupSeconds: Number(values.warmup ?? (values.quick ? 4 : 8)),
    connections: Number(values.connections),
    cpus: `0-${cores - 1}`,
    ...(loadGenerator ? { loadGenerator } : {}),
    log,
  });
  results.workers = workers;
  printWorkersReport(workers);
}

results.machine.loadAverageAfter = loadavg()[0]?.toFixed(2);
mkdirSync(join(values.out, '..'), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
log(`results written to ${values.out}`);
if (values.publish ?? fullRun) {
  for (const file of publishResults(join(ROOT, 'docs', 'benchmarks'), results)) log(`results written to ${file}`);
}
