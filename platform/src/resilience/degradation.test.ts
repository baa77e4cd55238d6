import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/catalog.js';
import { createDegradationCollector, orUnavailable, withFallback } from './degradation.js';
import { UpstreamError } from './errors.js';

const down = () => {
  throw new UpstreamError('recommendations', 'TIMEOUT', 'no answer within 2000 ms');
};

describe('withFallback', () => {
  it('answers the value when the dependency answers', async () => {
    const collector = createDegradationCollector();
    expect(await withFallback(collector, { path: ['a'], fallback: 'EMPTY' }, [], async () => ['x'])).toEqual(['x']);
    expect(collector.entries()).toEqual([]);
  });

  it('answers the fallback and records why when the dependency fails', async () => {
    const collector = createDegradationCollector();
    expect(await withFallback(collector, { path: ['home', 'recommended'], fallback: 'EMPTY' }, [], down)).toEqual([]);
    expect(collector.entries()).toEqual([
      { path: ['home', 'recommended'], dependency: 'recommendations', reason: 'TIMEOUT', fallback: 'EMPTY' },
    ]);
  });

  it('lets any other error through: a bug is not a degradation', async () => {
    const collector = createDegradationCollector();
    const bug = () => {
      throw new TypeError('oops');
    };
    await expect(withFallback(collector, { path: ['a'], fallback: 'NULL' }, null, bug)).rejects.toThrow(TypeError);
    expect(collector.entries()).toEqual([]);
  });

  it('records a field once however often it degrades', async () => {
    const collector = createDegradationCollector();
    await withFallback(collector, { path: ['a'], fallback: 'NULL' }, null, down);
    await withFallback(collector, { path: ['a'], fallback: 'NULL' }, null, down);
    expect(collector.entries()).toHaveLength(1);
  });
});

describe('orUnavailable', () => {
  it('records a NULL fallback and throws DEPENDENCY_UNAVAILABLE at the path', async () => {
    const collector = createDegradationCollector();
    const error = await orUnavailable(collector, ['home', 'viewer'], down).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', path: ['home', 'viewer'] });
    expect(collector.entries()).toEqual([
      { path: ['home', 'viewer'], dependency: 'recommendations', reason: 'TIMEOUT', fallback: 'NULL' },
    ]);
  });
});
