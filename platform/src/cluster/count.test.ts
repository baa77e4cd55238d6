import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/index.js';
import { workerCountEnv } from './count.js';

const load = (value?: string) => loadConfig({ GATEWAY_WORKERS: workerCountEnv }, { GATEWAY_WORKERS: value });

describe('GATEWAY_WORKERS', () => {
  it('is 1 when unset (no cluster), a number when given, one per core for auto', () => {
    expect(load().GATEWAY_WORKERS).toBe(1);
    expect(load('').GATEWAY_WORKERS).toBe(1);
    expect(load('2').GATEWAY_WORKERS).toBe(2);
    expect(load(' 3 ').GATEWAY_WORKERS).toBe(3);
    expect(load('auto').GATEWAY_WORKERS).toBe(availableParallelism());
  });

  it.each([
    ['0', 'GATEWAY_WORKERS: expected at least 1 worker process'],
    ['257', 'GATEWAY_WORKERS: expected at most 256 worker processes'],
    ['two', 'GATEWAY_WORKERS: expected a whole number of worker processes, or "auto" (one per core)'],
    ['1.5', 'GATEWAY_WORKERS: expected a whole number of worker processes, or "auto" (one per core)'],
    ['-1', 'GATEWAY_WORKERS: expected a whole number of worker processes, or "auto" (one per core)'],
  ])('refuses %s with a clear message', (value, message) => {
    expect(() => load(value)).toThrow(ConfigError);
    expect(() => load(value)).toThrow(message);
  });
});
