import { describe, expect, it } from 'vitest';
import { answerMatches, testQueryWorkload, variedWorkload } from './workload.js';

// Stands in for the identity service: a distinct string per user and lifetime, as its tokens are.
const mint = (sub: string, expiresIn: number) => Promise.resolve(`token-${sub}-${expiresIn}`);

describe('workloads', () => {
  it('checks an answer against the expected data, a trailing trace id aside', () => {
    const expected = JSON.stringify({ a: 1, b: [true, null] });
    expect(answerMatches(`{"data":${expected}}`, expected)).toBe(true);
    expect(
      answerMatches(`{"data":${expected},"extensions":{"traceId":"0af7651916cd43dd8448eb211c80319c"}}`, expected),
    ).toBe(true);
    expect(answerMatches('{"data":{"a":1,"b":[true,false]}}', expected)).toBe(false);
    expect(answerMatches(`{"data":${expected},"errors":[{"message":"x"}]}`, expected)).toBe(false);
    expect(answerMatches('{"data":{"b":[true,null],"a":1}}', expected)).toBe(false);
    expect(answerMatches('not json', expected)).toBe(false);
  });

  it('builds the same varied requests every run, from many callers and anonymous ones', async () => {
    const [first, second] = [await variedWorkload(mint), await variedWorkload(mint)];
    expect(second.requests).toEqual(first.requests);
    const credentials = new Set(first.requests.map((r) => r.headers.authorization ?? 'anonymous'));
    expect(credentials.size).toBe(first.callers);
    const anonymous = first.requests.filter((r) => !r.headers.authorization).length / first.requests.length;
    expect(anonymous).toBeGreaterThan(0.2);
    expect(anonymous).toBeLessThan(0.3);
    expect(new Set(first.requests.map((r) => r.body)).size).toBeGreaterThan(first.requests.length / 4);
    expect(new Set(first.requests.map((r) => r.operation)).size).toBe(6);
  });

  it('sends TestQuery from one signed-in user', () => {
    const workload = testQueryWorkload('t');
    expect(workload.requests).toHaveLength(1);
    expect(workload.requests[0]?.headers).toEqual({ authorization: 'Bearer t' });
  });
});
