import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One process the harness started (a gateway, the subgraph tier, a REST service). */
export interface Started {
  name: string;
  child: ChildProcess;
  pid: number;
  /** The last lines it wrote, for a readable failure. */
  tail(): string;
  stop(): Promise<void>;
}

const hasTaskset = spawnSync('taskset', ['--version']).status === 0;

/** Cores this machine has, as `taskset` numbers them. */
export function cpuCount(): number {
  return Math.max(1, readFileSync('/proc/cpuinfo', 'utf8').match(/^processor\s*:/gm)?.length ?? 1);
}

/** Whether processes can be pinned to cores here (`taskset` from util-linux). */
export const canPin = hasTaskset;

/** Pins the calling process (the load generator) to `cpus`, e.g. "1". */
export function pinSelf(cpus: string): void {
  if (hasTaskset) spawnSync('taskset', ['-a', '-cp', cpus, String(process.pid)], { stdio: 'ignore' });
}

/** Processes started and not yet stopped: stopped together when the harness is interrupted. */
const running = new Set<Started>();

/** Stops every process the harness started that is still running (Ctrl-C, SIGTERM). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((started) => started.stop()));
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Cores to pin to ("0", "1", "0-1"); unpinned when `taskset` is missing. */
  cpus?: string;
  /** Polled until it answers 2xx. */
  readyUrl: string;
  /** How it is polled. @default GET */
  readyInit?: RequestInit;
  readyTimeoutMs?: number;
}

export async function startProcess(options: StartOptions): Promise<Started> {
  const [command, args] =
    options.cpus && hasTaskset
      ? ['taskset', ['-c', options.cpus, options.command, ...options.args]]
      : [options.command, options.args];
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // Experiments: BENCH_TEE=<dir> keeps each process's whole output in <dir>/<name>.log.
  if (process.env.BENCH_TEE) {
    const log = createWriteStream(join(process.env.BENCH_TEE, `${options.name.replace(/[^\w.+-]/g, '_')}.log`));
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(started));
  const started: Started = {
    name: options.name,
    child,
    pid: child.pid ?? -1,
    tail: () => lines.join('\n'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-started.pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-started.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(started);
  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited (${child.exitCode}):\n${started.tail()}`);
    try {
      const response = await fetch(options.readyUrl, { ...options.readyInit, signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return started;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await started.stop();
      throw new Error(`${options.name} was not ready at ${options.readyUrl}:\n${started.tail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** `pid` and every process below it (a gateway may fork workers). */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = parents.get(ppid) ?? [];
      list.push(Number(entry));
      parents.set(ppid, list);
    } catch {
      /* exited meanwhile */
    }
  }
  const tree: number[] = [];
  const visit = (p: number) => {
    tree.push(p);
    for (const child of parents.get(p) ?? []) visit(child);
  };
  visit(pid);
  return tree;
}

export const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** CPU seconds (user + system, all threads) the process tree has used so far. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      // Fields after "comm)": state(0) ppid(1) ... utime(11) stime(12).
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* exited */
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** Peak resident memory (VmHWM) of the process tree, in bytes. */
export function peakRss(pid: number): number {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      total += Number(match?.[1] ?? 0) * 1024;
    } catch {
      /* exited */
    }
  }
  return total;
}
