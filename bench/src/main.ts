// `npm run bench`: the project's benchmarks, side by side in one run (docs/performance.md).
//   npm run bench                      gateways, cached gateway, BFFs, 1 and 2 workers (about 8 minutes)
//   npm run bench -- --quick           shorter slices, for a smoke run
//   npm run bench -- --only gateway    or: --only bff, --only workers
//   npm run bench -- --targets edgeway,vanilla --rounds 5 --slice 10
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type BffBenchResult, runBffBench } from './bffBench.js'; // BFF benchmark
import { printBffReport } from './bffReport.js'; // BFF benchmark
import { type GatewayBenchResult, runGatewayBench } from './gatewayBench.js';
import { canPin, cpuCount, pinSelf } from './proc.js';
import { printGatewayReport } from './report.js';
import { ROOT, TARGET_NAMES, type TargetName } from './targets.js';
import { printWorkersReport, runWorkersBench, type WorkersBenchResult } from './workersBench.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    targets: { type: 'string', default: TARGET_NAMES.join(',') },
    rounds: { type: 'string' },
    slice: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '50' },
    'bff-connections': { type: 'string', default: '1' },
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
    'no-cache': { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'bench', 'results', 'latest.json') },
  },
});

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const cores = cpuCount();
// The gateway gets core 0 to itself; the load generator, the subgraphs and the REST services share the rest.
const gatewayCpus = '0';
const loadCpus = cores > 1 ? `1-${cores - 1}` : '0';
if (canPin && cores > 1) pinSelf(loadCpus);
else log('taskset is missing or there is one core: processes are not pinned, figures are noisier');

const targets = (values.targets ?? '').split(',').filter(Boolean) as TargetName[];
for (const target of targets) {
  if (!TARGET_NAMES.includes(target)) throw new Error(`unknown target ${target}: one of ${TARGET_NAMES.join(', ')}`);
}

const results: {
  machine: Record<string, unknown>;
  gateway?: GatewayBenchResult;
  bff?: BffBenchResult;
  workers?: WorkersBenchResult;
} = {
  machine: { cores, node: process.version, pinned: canPin && cores > 1, date: new Date().toISOString() },
};

if (!values.only || values.only === 'gateway') {
  const gateway = await runGatewayBench({
    targets,
    // Many short slices: a burst of noise on this shared machine then falls on one slice of each
    // gateway rather than on the whole measurement of one.
    sliceSeconds: Number(values.slice ?? (values.quick ? 4 : 6)),
    rounds: Number(values.rounds ?? (values.quick ? 2 : 6)),
    warmupSeconds: Number(values.warmup ?? (values.quick ? 4 : 8)),
    connections: Number(values.connections),
    gatewayCpus,
    loadCpus,
    cached: !values['no-cache'],
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
    log,
  });
  results.workers = workers;
  printWorkersReport(workers);
}

mkdirSync(join(values.out, '..'), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
log(`results written to ${values.out}`);
