// The deadline under a stalled event loop, against a real HTTP server in another thread: the
// server answers while this thread is blocked past the deadline, as a long synchronous request or
// a GC pause blocks a service.
import { Worker } from 'node:worker_threads';
import { TaskCancelledError } from 'cockatiel';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Deadline, withDeadline } from './deadline.js';
import { UpstreamError } from './errors.js';
import { createDependencyPolicy } from './policy.js';

// The server's state, shared with this thread: 0 idle, 1 request received, 2 answer written.
const state = new Int32Array(new SharedArrayBuffer(4));
let server: Worker;
let pool: Pool;

beforeAll(async () => {
  server = new Worker(
    `
    const { createServer } = require('node:http');
    const { workerData, parentPort } = require('node:worker_threads');
    const state = new Int32Array(workerData);
    const app = createServer((req, res) => {
      Atomics.store(state, 0, 1);
      res.end('answered', () => {
        Atomics.store(state, 0, 2);
        Atomics.notify(state, 0);
      });
    });
    app.listen(0, '127.0.0.1', () => parentPort.postMessage(app.address().port));
    `,
    { eval: true, workerData: state.buffer },
  );
  const port = await new Promise<number>((resolve) => server.once('message', resolve));
  pool = new Pool(`http://127.0.0.1:${port}`);
  // A connection already open, as a keep-alive pool has.
  await (await pool.request({ path: '/', method: 'GET' })).body.text();
});
afterAll(async () => {
  await pool?.close();
  await server?.terminate();
});

// undici takes a Deadline as a request's signal.
const get = async (deadline: Deadline) =>
  (await pool.request({ path: '/', method: 'GET', signal: deadline })).body.text();

/** Starts `call`, lets its request reach the server, then blocks this thread until the answer was written and `ms` have passed. */
async function stalledPast<T>(ms: number, call: () => Promise<T>): Promise<PromiseSettledResult<T>> {
  Atomics.store(state, 0, 0);
  const started = performance.now();
  const settled = Promise.allSettled([call()]);
  while (Atomics.load(state, 0) === 0) await new Promise((resolve) => setImmediate(resolve));
  Atomics.wait(state, 0, 1, 10_000);
  while (performance.now() - started < ms) {
    // The stall: nothing else runs on this thread.
  }
  expect(Atomics.load(state, 0)).toBe(2);
  const [result] = await settled;
  return result!;
}

describe('Deadline', () => {
  it('aborts once, with its reason, and its AbortSignal (made before or after) with it', () => {
    const deadline = new Deadline();
    const before = deadline.signal;
    const heard: unknown[] = [];
    deadline.on('abort', () => heard.push(deadline.reason));
    expect(before.aborted).toBe(false);
    const reason = new TaskCancelledError('late');
    deadline.abort(reason);
    deadline.abort(new Error('again'));
    expect(heard).toEqual([reason]);
    expect(deadline.aborted).toBe(true);
    expect(before.aborted).toBe(true);
    expect(before.reason).toBe(reason);
    expect(deadline.signal).toBe(before);
    const late = new Deadline();
    late.abort(reason);
    expect(late.signal.aborted).toBe(true);
    expect(late.signal.reason).toBe(reason);
  });
});

describe('withDeadline', () => {
  it('fails with TaskCancelledError at the deadline and aborts the call with it', async () => {
    let reason: unknown;
    const hang = ({ signal }: Deadline) =>
      new Promise<never>((_, reject) => {
        signal.addEventListener('abort', () => {
          reason = signal.reason;
          reject(signal.reason as Error);
        });
      });
    const started = performance.now();
    await expect(withDeadline(50, hang)).rejects.toBeInstanceOf(TaskCancelledError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(reason).toBeInstanceOf(TaskCancelledError);
  });

  it('passes on a call that settles first, and never aborts it', async () => {
    let signal: Deadline | undefined;
    await expect(
      withDeadline(1000, async (s) => {
        signal = s;
        return 'ok';
      }),
    ).resolves.toBe('ok');
    await expect(withDeadline(1000, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(signal?.aborted).toBe(false);
  });

  it('fails at once, and leaves no timer, when the call throws before it returns a promise', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const call = withDeadline(60_000, () => {
      throw new Error('no such dependency');
    });
    await expect(call).rejects.toThrow('no such dependency');
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
  });

  it('takes an answer that arrived while the process was stalled past the deadline', async () => {
    const result = await stalledPast(300, () => withDeadline(100, get));
    expect(result).toEqual({ status: 'fulfilled', value: 'answered' });
  });

  it('still times out a call whose answer had not arrived', async () => {
    let aborted = false;
    const result = await stalledPast(300, () =>
      withDeadline(100, async (deadline) => {
        await get(deadline);
        // The answer came, but the call goes on waiting for more than the stall.
        return new Promise<never>((_, reject) =>
          deadline.once('abort', () => {
            aborted = true;
            reject(deadline.reason as Error);
          }),
        );
      }),
    );
    expect(result.status).toBe('rejected');
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TaskCancelledError);
    expect(aborted).toBe(true);
  });
});

describe('dependency policy under a stalled process', () => {
  it('does not blame the dependency for the stall: the answer counts, no TIMEOUT, the circuit stays closed', async () => {
    const policy = createDependencyPolicy({ name: 'stalled', timeoutMs: 100, consecutiveFailures: 1, retries: 0 });
    for (let i = 0; i < 3; i++) {
      const result = await stalledPast(300, () => policy.execute(get, { idempotent: true }));
      expect(result).toEqual({ status: 'fulfilled', value: 'answered' });
    }
    expect(policy.status()).toMatchObject({ circuit: 'closed', lastError: null });
    // A dependency that does not answer in time is still cut off.
    const hang = (deadline: Deadline) =>
      new Promise<never>((_, reject) => deadline.once('abort', () => reject(deadline.reason as Error)));
    const error = await policy.execute(hang, { idempotent: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).reason).toBe('TIMEOUT');
    expect(policy.status().circuit).toBe('open');
    policy.close();
  });
});
