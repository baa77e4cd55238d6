import { isUpstreamError, UpstreamError } from '@edgeway/platform';
import { describe, expect, it } from 'vitest';
import { servePicks } from './screen.js';

const fresh: PromiseSettledResult<unknown> = { status: 'fulfilled', value: [] };

describe('servePicks', () => {
  it('serves the cards found, leaving out unknown products', () => {
    expect(servePicks(fresh, ['a', null, 'b'])()).toEqual(['a', 'b']);
  });

  it("throws a card's failure (the gateway could not bring it)", () => {
    const failure = new UpstreamError('gateway', 'TIMEOUT', 'slow');
    expect(() => servePicks(fresh, ['a', failure])()).toThrow(failure);
  });

  it('throws the picks failure with the cards built from the last good picks, for a STALE fallback', () => {
    const failure = new UpstreamError('recommendations', 'UPSTREAM_ERROR', 'down');
    failure.stale = [{ upc: 'a', score: 1 }];
    let thrown: unknown;
    try {
      servePicks({ status: 'rejected', reason: failure }, ['a'])();
    } catch (error) {
      thrown = error;
    }
    expect(isUpstreamError(thrown) && thrown.stale).toEqual(['a']);
  });
});
