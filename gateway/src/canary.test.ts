import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bucketOf, type CanaryCaller, canarySchema, chooseVariant } from './canary.js';
import { parseGatewayFile } from './config/file.js';

const caller = (who: Partial<Omit<CanaryCaller, 'chosen'>> = {}): CanaryCaller => ({
  subject: undefined,
  apiKey: undefined,
  header: () => undefined,
  ...who,
  chosen: new Map(),
});
const settings = (input: object) => canarySchema.parse({ url: 'http://127.0.0.1:9/graphql', ...input });

describe('canary settings', () => {
  it('reads a complete canary key, header names in lower case, lists as sets', () => {
    const parsed = settings({
      percent: 12.5,
      header: { name: 'X-Canary', value: 'always' },
      users: ['1', '7'],
      apiKeys: ['partner'],
      timeoutMs: 800,
      breaker: { consecutiveFailures: 3, failureRatio: 0.25, halfOpenAfterMs: 2000 },
    });
    expect(parsed.header).toEqual({ name: 'x-canary', value: 'always' });
    expect([...parsed.users]).toEqual(['1', '7']);
    expect(parsed.breaker?.failureRatio).toBe(0.25);
  });

  it('the example in docs/operations.md is a valid configuration file', () => {
    const docs = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const example = /## Canary deployments[\s\S]*?```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
    const canary = parseGatewayFile(example ?? '', ['reviews']).subgraphs?.reviews?.canary;
    expect(canary?.percent).toBe(10);
    expect(canary?.header).toEqual({ name: 'x-canary', value: 'always' });
  });

  it('is refused under "*": a canary belongs to one subgraph', () => {
    expect(() => parseGatewayFile("subgraphs:\n  '*':\n    canary: { url: http://x/graphql }\n", ['reviews'])).toThrow(
      /subgraphs\.\*\.canary/,
    );
  });

  it('defaults to no share and empty lists', () => {
    const parsed = settings({});
    expect(parsed.percent).toBe(0);
    expect(parsed.users.size).toBe(0);
    expect(parsed.apiKeys.size).toBe(0);
    expect([...parsed.relayApiKeys]).toEqual(['bffs']);
  });

  it('names every problem of a bad key', () => {
    const result = canarySchema.safeParse({
      url: 'ftp://x',
      percent: 101,
      header: { name: 'bad header', value: '' },
      users: [''],
      breaker: { failureRatio: 0 },
      extra: true,
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.') || issue.message).sort();
    expect(paths).toEqual(
      expect.arrayContaining(['url', 'percent', 'header.name', 'header.value', 'users.0', 'breaker.failureRatio']),
    );
    expect(result.error!.issues.some((issue) => issue.code === 'unrecognized_keys')).toBe(true);
  });
});

describe('chooseVariant', () => {
  it('sends a fixed share of callers to the canary: 100,000 subjects at 10% give 10% +- 0.3', () => {
    const ten = settings({ percent: 10 });
    let canary = 0;
    for (let i = 0; i < 100_000; i++) {
      if (chooseVariant('reviews', ten, caller({ subject: `user-${i}` })).variant === 'canary') canary++;
    }
    // Binomial standard deviation at n = 100,000, p = 0.1 is 0.095 points: 0.3 is over 3 of them.
    expect(canary / 1000).toBeGreaterThan(9.7);
    expect(canary / 1000).toBeLessThan(10.3);
  });

  it('keeps a caller where it is: the same answer every time, and the canary cohort only grows with the share', () => {
    for (let i = 0; i < 1000; i++) {
      const who = caller({ subject: `user-${i}` });
      const at = (percent: number) => chooseVariant('reviews', settings({ percent }), who).variant;
      expect(at(10)).toBe(at(10));
      if (at(10) === 'canary') expect(at(25)).toBe('canary');
    }
  });

  it('places a caller independently per subgraph, so one cohort does not get every canary', () => {
    const subjects = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
    const inBoth = subjects.filter((s) => bucketOf('reviews', `sub:${s}`) < 10 && bucketOf('orders', `sub:${s}`) < 10);
    // Independent placement puts about 1% of callers (20) in both; the same placement would put 10%.
    expect(inBoth.length).toBeLessThan(60);
  });

  it('is forced by the header, the user list and the API key list, even at 0%', () => {
    const forced = settings({ header: { name: 'x-canary', value: 'yes' }, users: ['7'], apiKeys: ['partner'] });
    const header = (name: string) => (name === 'x-canary' ? 'yes' : undefined);
    expect(chooseVariant('reviews', forced, caller({ header }))).toEqual({ variant: 'canary', reason: 'header' });
    expect(chooseVariant('reviews', forced, caller({ subject: '7' }))).toEqual({ variant: 'canary', reason: 'user' });
    expect(chooseVariant('reviews', forced, caller({ apiKey: 'partner' }))).toEqual({
      variant: 'canary',
      reason: 'api_key',
    });
    expect(chooseVariant('reviews', forced, caller({ subject: '8', header: () => 'no' })).variant).toBe('stable');
  });

  it('keys a caller by token subject, else API key name; anonymous requests at random', () => {
    const half = settings({ percent: 50 });
    const bySubject = chooseVariant('reviews', half, caller({ subject: 'u', apiKey: 'k' }));
    expect(bySubject.reason).toBe('share');
    expect(bySubject.variant).toBe(bucketOf('reviews', 'sub:u') < 50 ? 'canary' : 'stable');
    expect(chooseVariant('reviews', half, caller({ apiKey: 'k' })).variant).toBe(
      bucketOf('reviews', 'key:k') < 50 ? 'canary' : 'stable',
    );
    expect(chooseVariant('reviews', half, caller(), () => 0.49)).toEqual({ variant: 'canary', reason: 'random' });
    // The BFFs' key relays every anonymous end user: placed per request, not as one caller.
    expect(chooseVariant('reviews', half, caller({ apiKey: 'bffs' }), () => 0.49).reason).toBe('random');
    expect(chooseVariant('reviews', half, caller({ subject: 'u', apiKey: 'bffs' })).reason).toBe('share');
    expect(chooseVariant('reviews', half, caller(), () => 0.5)).toEqual({ variant: 'stable', reason: 'random' });
  });
});
