import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { circuitState } from '../metrics/index.js';
import { UpstreamError } from './errors.js';
import type { Deadline } from './deadline.js';
import { createDependencyPolicy } from './policy.js';

const fail = () => Promise.reject(new UpstreamError('dep', 'UPSTREAM_ERROR', 'answered 503', 503));
const ok = () => Promise.resolve('ok');

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as UpstreamError).reason;
  }
}

describe('dependency policy', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens after consecutive failures, then answers CIRCUIT_OPEN without calling the dependency', async () => {
    const policy = createDependencyPolicy({ name: 'dep', consecutiveFailures: 3, retries: 0 });
    const calls = vi.fn(fail);
    for (let i = 0; i < 3; i++)
      expect(await reasonOf(policy.execute(calls, { idempotent: true }))).toBe('UPSTREAM_ERROR');
    expect(policy.status().circuit).toBe('open');
    expect(await reasonOf(policy.execute(calls, { idempotent: true }))).toBe('CIRCUIT_OPEN');
    expect(calls).toHaveBeenCalledTimes(3);
    expect(policy.status().lastError).toMatchObject({ reason: 'UPSTREAM_ERROR' });
  });

  it('lets one trial call through after a short wait (250 ms) and closes on success', async () => {
    const policy = createDependencyPolicy({ name: 'dep', consecutiveFailures: 2, retries: 0, halfOpenAfterMs: 10_000 });
    await reasonOf(policy.execute(fail, { idempotent: true }));
    await reasonOf(policy.execute(fail, { idempotent: true }));
    vi.advanceTimersByTime(249);
    expect(await reasonOf(policy.execute(ok, { idempotent: true }))).toBe('CIRCUIT_OPEN');
    vi.advanceTimersByTime(2);
    expect(await reasonOf(policy.execute(ok, { idempotent: true }))).toBe('ok');
    expect(policy.status().circuit).toBe('closed');
  });

  it('opens again when the trial call fails, and doubles the wait up to halfOpenAfterMs', async () => {
    const policy = createDependencyPolicy({ name: 'dep', consecutiveFailures: 1, retries: 0, halfOpenAfterMs: 1000 });
    await reasonOf(policy.execute(fail, { idempotent: true }));
    const waits: number[] = [];
    for (let trial = 0; trial < 4; trial++) {
      let waited = 0;
      while ((await reasonOf(policy.execute(fail, { idempotent: true }))) === 'CIRCUIT_OPEN') {
        vi.advanceTimersByTime(50);
        waited += 50;
      }
      expect(policy.status().circuit).toBe('open');
      waits.push(waited);
    }
    expect(waits).toEqual([250, 500, 1000, 1000]);
  });

  it('while the half-open trial is in flight, every other call fails fast as CIRCUIT_OPEN', async () => {
    const policy = createDependencyPolicy({ name: 'dep', consecutiveFailures: 1, retries: 0, timeoutMs: 2000 });
    await reasonOf(policy.execute(fail, { idempotent: true }));
    vi.advanceTimersByTime(300);
    const hung = vi.fn(
      (deadline: Deadline) => new Promise<string>((_, reject) => deadline.once('abort', () => reject(deadline.reason))),
    );
    const trial = reasonOf(policy.execute(hung, { idempotent: true }));
    expect(policy.status().circuit).toBe('half-open');
    const others = await Promise.all(
      Array.from({ length: 9 }, () => reasonOf(policy.execute(hung, { idempotent: true }))),
    );
    expect(others).toEqual(Array(9).fill('CIRCUIT_OPEN'));
    expect(hung).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2001);
    expect(await trial).toBe('TIMEOUT');
    expect(policy.status().circuit).toBe('open');
  });

  it("aborts every attempt at its own call's deadline, after a trial too, and counts it", async () => {
    const policy = createDependencyPolicy({ name: 'dep', consecutiveFailures: 2, retries: 0, timeoutMs: 500 });
    await reasonOf(policy.execute(fail, { idempotent: true }));
    await reasonOf(policy.execute(fail, { idempotent: true }));
    vi.advanceTimersByTime(300);
    expect(await reasonOf(policy.execute(ok, { idempotent: true }))).toBe('ok');
    const signals: Deadline[] = [];
    const hang = (deadline: Deadline) => {
      signals.push(deadline);
      return new Promise<string>((_, reject) => deadline.once('abort', () => reject(deadline.reason)));
    };
    const calls = [0, 1, 2].map(() => reasonOf(policy.execute(hang, { idempotent: true })));
    expect(new Set(signals).size).toBe(3);
    await vi.advanceTimersByTimeAsync(501);
    expect(await Promise.all(calls)).toEqual(['TIMEOUT', 'TIMEOUT', 'TIMEOUT']);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(policy.status().circuit).toBe('open');
  });

  it("closes an open circuit with no traffic once the dependency's readiness probe answers", async () => {
    let up = false;
    const probe = vi.fn(async () => {
      if (!up) throw new Error('refused');
    });
    const policy = createDependencyPolicy({ name: 'dep', consecutiveFailures: 1, retries: 0, probe });
    await reasonOf(policy.execute(fail, { idempotent: true }));
    await vi.advanceTimersByTimeAsync(2000);
    expect(policy.status().circuit).toBe('open');
    up = true;
    await vi.advanceTimersByTimeAsync(300);
    expect(policy.status().circuit).toBe('closed');
    const probes = probe.mock.calls.length;
    await vi.advanceTimersByTimeAsync(2000);
    expect(probe.mock.calls.length).toBe(probes);
  });

  it('once closed, stops probing a dependency no longer called and drops its circuit-state series', async () => {
    const probe = vi.fn(async () => {
      throw new Error('refused');
    });
    const policy = createDependencyPolicy({ name: 'closed-dep', consecutiveFailures: 1, retries: 0, probe });
    const stateSeries = async () =>
      (await circuitState.get()).values.filter((v) => v.labels.dependency === 'closed-dep').map((v) => v.value);
    await reasonOf(policy.execute(fail, { idempotent: true }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(probe.mock.calls.length).toBeGreaterThan(0);
    expect(await stateSeries()).toEqual([2]);
    policy.close();
    const probes = probe.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(probe.mock.calls.length).toBe(probes);
    expect(await stateSeries()).toEqual([]);
  });

  it('stops believing a probe that said ready when real calls then failed, until a real trial closes it', async () => {
    const probe = vi.fn(async () => undefined);
    const policy = createDependencyPolicy({
      name: 'dep',
      consecutiveFailures: 1,
      retries: 0,
      probe,
      halfOpenAfterMs: 10_000,
    });
    await reasonOf(policy.execute(fail, { idempotent: true }));
    await vi.advanceTimersByTimeAsync(300);
    expect(policy.status().circuit).toBe('closed');
    await reasonOf(policy.execute(fail, { idempotent: true }));
    await vi.advanceTimersByTimeAsync(200);
    expect(policy.status().circuit).toBe('open');
    const probes = probe.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(probe.mock.calls.length).toBe(probes);
    expect(await reasonOf(policy.execute(ok, { idempotent: true }))).toBe('ok');
    expect(policy.status().circuit).toBe('closed');
  });

  it('opens on a failure ratio even without consecutive failures (flapping)', async () => {
    const policy = createDependencyPolicy({
      name: 'dep',
      consecutiveFailures: 100,
      failureRatio: 0.5,
      samplingWindowMs: 10_000,
      minimumRps: 1,
      retries: 0,
    });
    for (let i = 0; i < 40 && policy.status().circuit === 'closed'; i++) {
      await reasonOf(policy.execute(i % 3 === 0 ? ok : fail, { idempotent: true }));
      vi.advanceTimersByTime(100);
    }
    expect(policy.status().circuit).toBe('open');
  });

  it('retries an idempotent call once, on a fresh connection, as one call to the breaker; never a mutation', async () => {
    const policy = createDependencyPolicy({ name: 'dep', retries: 1, consecutiveFailures: 1 });
    const flaky = vi
      .fn()
      .mockRejectedValueOnce(new UpstreamError('dep', 'UPSTREAM_ERROR', 'reset'))
      .mockResolvedValue('ok');
    const read = policy.execute(flaky, { idempotent: true });
    await vi.runAllTimersAsync();
    expect(await read).toBe('ok');
    expect(flaky.mock.calls.map((call) => call[1])).toEqual([{ fresh: false }, { fresh: true }]);
    expect(policy.status().circuit).toBe('closed');

    const mutation = vi.fn(fail);
    expect(await reasonOf(policy.execute(mutation, { idempotent: false }))).toBe('UPSTREAM_ERROR');
    expect(mutation).toHaveBeenCalledTimes(1);
  });

  it('bounds retries so an outage does not multiply the load', async () => {
    const policy = createDependencyPolicy({ name: 'dep', retries: 1, consecutiveFailures: 1000, minimumRps: 1000 });
    const calls = vi.fn(fail);
    for (let i = 0; i < 50; i++) {
      const call = reasonOf(policy.execute(calls, { idempotent: true }));
      await vi.runAllTimersAsync();
      await call;
    }
    // 50 requests; the budget allows max(3, 10%) retries per window.
    expect(calls.mock.calls.length).toBeLessThanOrEqual(55);
    expect(calls.mock.calls.length).toBeGreaterThan(50);
  });

  it('answers TIMEOUT at the deadline and aborts the call', async () => {
    const policy = createDependencyPolicy({ name: 'dep', timeoutMs: 500 });
    let aborted = false;
    // Through the AbortSignal a Deadline makes for code that needs one.
    const hang = ({ signal }: Deadline) =>
      new Promise<string>((_, reject) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(signal.reason);
        });
      });
    const result = reasonOf(policy.execute(hang, { idempotent: true }));
    await vi.advanceTimersByTimeAsync(501);
    expect(await result).toBe('TIMEOUT');
    expect(aborted).toBe(true);
  });

  it('applies x-chaos: down without calling or tripping anything, slow within the deadline', async () => {
    const policy = createDependencyPolicy({ name: 'dep', consecutiveFailures: 1, timeoutMs: 1000 });
    const calls = vi.fn(ok);
    expect(await reasonOf(policy.execute(calls, { idempotent: true, chaos: { mode: 'down' } }))).toBe('UPSTREAM_ERROR');
    expect(calls).not.toHaveBeenCalled();
    expect(policy.status().circuit).toBe('closed');

    const slow = reasonOf(policy.execute(calls, { idempotent: true, chaos: { mode: 'slow', delayMs: 1500 } }));
    await vi.advanceTimersByTimeAsync(1001);
    expect(await slow).toBe('TIMEOUT');
    const fine = policy.execute(calls, { idempotent: true, chaos: { mode: 'slow', delayMs: 200 } });
    await vi.advanceTimersByTimeAsync(201);
    expect(await fine).toBe('ok');
  });
});
