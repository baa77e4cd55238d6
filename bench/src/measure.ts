// What one slice of load costs and gives, read from /proc: the gateway's CPU and peak memory, and
// how busy the load side was (the harness's own CPU, which includes the load generator, and the
// load cores as a whole), so a slice whose load generator ran out of CPU says so.
import { readFileSync, writeFileSync } from 'node:fs';
import { percentile, type Slice } from './load.js';
import { cpuSeconds, peakRss, processTree, TICKS_PER_SECOND } from './proc.js';

/** One gateway's slice of one round; rates over the slice's steady window. */
export interface RoundResult {
  /** Answers per second served. */
  rps: number;
  /** Answers per second of gateway CPU (all its processes and threads). */
  rpsPerCore: number;
  /** Average cores the gateway used. */
  cpuCores: number;
  p99: number;
  /** Peak resident memory of the gateway's processes during this slice. */
  peakRssBytes: number;
  /** Cores the harness process used (the load generator, with its timers and checks). */
  loadGeneratorCores: number;
  /** Share of the load cores' time that was busy (load generator, subgraphs, identity, others). */
  loadCoresBusy: number;
  /** Share of the gateway cores' time that was busy (the gateway, and anything else running there). */
  gatewayCoresBusy: number;
}

/** CPU seconds this process (every thread) has used. */
function selfCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Busy and total jiffies of the given cores ("1", "1-3", "0,2"), from /proc/stat. */
interface CoreTimes {
  busy: number;
  total: number;
}

function coreTimes(cpus: string): CoreTimes {
  const wanted = new Set<number>();
  for (const part of cpus.split(',')) {
    const [from, to = from] = part.split('-').map(Number);
    for (let cpu = from ?? 0; cpu <= (to ?? 0); cpu++) wanted.add(cpu);
  }
  let busy = 0;
  let total = 0;
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const match = /^cpu(\d+) (.*)$/.exec(line);
    if (!match || !wanted.has(Number(match[1]))) continue;
    // user nice system idle iowait irq softirq steal ...
    const values = (match[2] ?? '').trim().split(/\s+/).map(Number);
    const sum = values.slice(0, 8).reduce((a, b) => a + b, 0);
    total += sum;
    busy += sum - (values[3] ?? 0) - (values[4] ?? 0);
  }
  return { busy, total };
}

const busyShare = (before: CoreTimes, after: CoreTimes) =>
  after.total > before.total ? (after.busy - before.busy) / (after.total - before.total) : 0;

/**
 * Resets the peak resident memory (VmHWM) of a process tree, so the next reading is the peak of
 * what follows (Linux `clear_refs` 5). Returns false where that is not allowed: readings then stay
 * the peak since start.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    for (const p of processTree(pid)) writeFileSync(`/proc/${p}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export interface SliceReading {
  slice: Slice;
  round: RoundResult;
  /** Over the steady window: gateway CPU seconds, wall seconds, answers, subgraph requests. */
  cpuSeconds: number;
  wallSeconds: number;
  answers: number;
  subgraphRequests: number;
}

export interface MeasureOptions {
  pid: number;
  cpus: { gateway: string; load: string };
  seconds: number;
  /** Runs the load, counting answers in `live` as they arrive. */
  run: (live: { answers: number }) => Promise<Slice>;
  /** Requests the subgraph tier has received so far. */
  subgraphRequests: () => Promise<number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one slice of load and reads what it cost over its steady middle (20% to 90% of the slice):
 * answers, gateway CPU and subgraph requests counted over the same window. Over the whole slice, a
 * gateway would be charged for the ramp-up (CPU spent before the first answers) and for the
 * requests still in flight when the load stops, a bias that grows with its latency.
 */
export async function measureSlice(options: MeasureOptions): Promise<SliceReading> {
  const { pid, cpus } = options;
  const live = { answers: 0 };
  resetPeakRss(pid);
  const done = options.run(live);
  const read = async () => ({
    subgraph: await options.subgraphRequests(),
    answers: live.answers,
    cpu: cpuSeconds(pid),
    self: selfCpuSeconds(),
    load: coreTimes(cpus.load),
    gateway: coreTimes(cpus.gateway),
    at: performance.now(),
  });
  await sleep(options.seconds * 200);
  const a = await read();
  await sleep(options.seconds * 700);
  const b = await read();
  const slice = await done;
  const wall = (b.at - a.at) / 1000;
  const cpu = b.cpu - a.cpu;
  const answers = b.answers - a.answers;
  const sorted = [...slice.latencies].sort((x, y) => x - y);
  return {
    slice,
    cpuSeconds: cpu,
    wallSeconds: wall,
    answers,
    subgraphRequests: b.subgraph - a.subgraph,
    round: {
      rps: answers / wall,
      rpsPerCore: cpu > 0 ? answers / cpu : 0,
      cpuCores: cpu / wall,
      p99: percentile(sorted, 99),
      peakRssBytes: peakRss(pid),
      loadGeneratorCores: (b.self - a.self) / wall,
      loadCoresBusy: busyShare(a.load, b.load),
      gatewayCoresBusy: busyShare(a.gateway, b.gateway),
    },
  };
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** One value per round, in round order. */
  perRound: number[];
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
  return { median, min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN, perRound: [...values] };
}
