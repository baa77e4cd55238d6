import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_PREFIX, TRACE_ID_PREFIX } from './workload.js';

/** Whether wrk (Debian's package `wrk`) is on the PATH. */
export const hasWrk = spawnSync('wrk', ['--version']).error === undefined;

/** What one slice of wrk's closed-loop load measured. */
export interface WrkSlice {
  requests: number;
  /** Transport errors and timeouts. */
  errors: number;
  /** Answers that were not 2xx or 3xx. */
  non2xx: number;
  /** 200 answers whose data was not the expected data. */
  mismatches: number;
  seconds: number;
  p50: number;
  p99: number;
  /** CPU seconds wrk used (user and system, every thread). */
  cpuSeconds: number;
  /** The first wrong answer, for a readable failure. */
  firstWrong?: string;
}

export interface WrkOptions {
  url: string;
  connections: number;
  seconds: number;
  body: string;
  headers: Record<string, string>;
  /** The expected `data`, serialized in selection order (what `answerMatches` compares). */
  expected: string;
}

/** A Lua string literal of `text`'s UTF-8 bytes, every byte outside printable ASCII escaped. */
function luaString(text: string): string {
  let literal = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const printable = byte >= 0x20 && byte <= 0x7e && byte !== 0x22 && byte !== 0x5c;
    literal += printable ? String.fromCharCode(byte) : `\\${String(byte).padStart(3, '0')}`;
  }
  return `"${literal}"`;
}

/**
 * The script: every answer is checked in C and LuaJIT as `answerMatches` checks it in place (the
 * expected data after `{"data":`, then the end of the object or a per-request trace id), and
 * counted in the thread's state; `done` prints one JSON line.
 */
function script(options: WrkOptions, files: { body: string; expected: string; wrong: string }): string {
  const headers = Object.entries({ 'content-type': 'application/json', ...options.headers })
    .map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`)
    .join('\n');
  return `
local function slurp(path) local f = assert(io.open(path, "rb")) local s = f:read("*a") f:close() return s end
wrk.method = "POST"
wrk.body = slurp(${luaString(files.body)})
${headers}
local prefix = ${luaString(DATA_PREFIX)} .. slurp(${luaString(files.expected)})
local trace = ${luaString(TRACE_ID_PREFIX)}
local threads = {}
function setup(thread) table.insert(threads, thread) end
good, wrong, written = 0, 0, false
function response(status, headers, body)
  if status ~= 200 then return end
  local n = #prefix
  -- After the data: the end of the object, or a trace id and then the end; a final newline or not.
  local ok = body:sub(1, n) == prefix and
    (body:match("^}\\n?$", n + 1) ~= nil or
      (body:find(trace, n + 1, true) == n + 1 and body:match('^[0-9a-f]+"}}\\n?$', n + 1 + #trace) ~= nil))
  if ok then good = good + 1 return end
  wrong = wrong + 1
  if not written then
    written = true
    local f = io.open(${luaString(files.wrong)}, "wb") if f then f:write(body) f:close() end
  end
end
function done(summary, latency, requests)
  local good, wrong = 0, 0
  for _, t in ipairs(threads) do good = good + t:get("good") wrong = wrong + t:get("wrong") end
  local e = summary.errors
  io.write(string.format('EDGEWAY_WRK {"requests":%d,"durationUs":%d,"good":%d,"wrong":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50Us":%d,"p99Us":%d}\\n',
    summary.requests, summary.duration, good, wrong, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;
}

interface WrkSummary {
  requests: number;
  durationUs: number;
  good: number;
  wrong: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50Us: number;
  p99Us: number;
}

/**
 * Closed-loop load from wrk, one thread: `connections` clients, each sending the same request
 * again when the last is answered, every answer checked. wrk parses HTTP in C and takes a few
 * hundredths of a core where autocannon (pure JavaScript, http-parser-js) took a third of one
 * for the same answers, which matters where the load generator shares the gateway's cores.
 */
export async function runWrk(options: WrkOptions): Promise<WrkSlice> {
  const dir = mkdtempSync(join(tmpdir(), 'edgeway-wrk-'));
  try {
    const files = { body: join(dir, 'body.json'), expected: join(dir, 'expected.json'), wrong: join(dir, 'wrong.txt') };
    writeFileSync(files.body, options.body);
    writeFileSync(files.expected, options.expected);
    writeFileSync(join(dir, 'load.lua'), script(options, files));
    // wrk runs under a shell that reports its children's CPU time once wrk has exited (`times`).
    const child = spawn(
      'sh',
      [
        '-c',
        'wrk "$@"; code=$?; times; exit $code',
        'sh',
        '-t1',
        `-c${options.connections}`,
        `-d${options.seconds}s`,
        '--timeout',
        '30s',
        '-s',
        join(dir, 'load.lua'),
        options.url,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    const line = /^EDGEWAY_WRK (\{.*\})$/m.exec(out)?.[1];
    if (code !== 0 || !line) throw new Error(`wrk failed (${code}): ${(err || out).slice(0, 500)}`);
    const summary = JSON.parse(line) as WrkSummary;
    let firstWrong: string | undefined;
    try {
      firstWrong = readFileSync(files.wrong, 'utf8');
    } catch {
      /* every answer was right */
    }
    return {
      requests: summary.requests,
      errors: summary.connect + summary.read + summary.write + summary.timeout,
      non2xx: summary.status,
      mismatches: summary.wrong,
      seconds: summary.durationUs / 1e6,
      p50: summary.p50Us / 1000,
      p99: summary.p99Us / 1000,
      cpuSeconds: childrenCpu(out),
      ...(firstWrong === undefined ? {} : { firstWrong }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The children's user and system time from `times` (its second line: "0m0.280s 0m0.050s"). */
export function childrenCpu(output: string): number {
  const lines = output.trim().split('\n');
  const children = lines[lines.length - 1] ?? '';
  const times = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return times.length === 2 ? times[0]! + times[1]! : Number.NaN;
}
