// The varied workload's expected answers (mix.ts, computed from the dataset) against what vanilla
// Apollo Gateway answers over the benchmark subgraphs: same data, same keys in the same order.
import { describe, expect, it } from 'vitest';
import { drawOperation, MIX, seededRandom } from './mix.js';
import { useBenchFederation } from './testing.js';

const bench = useBenchFederation();

describe('varied workload', () => {
  it.each(MIX.map((operation) => [operation.name, operation] as const))(
    '%s: the expected answer is the gateway answer, for many variable values',
    async (_name, operation) => {
      const random = seededRandom(7);
      for (let i = 0; i < 12; i++) {
        const viewer = i % 3 === 0 ? undefined : String(1 + (i % 6));
        const variables = operation.variables(random, viewer);
        const response = await bench.gateway.executeOperation({ query: operation.query, variables });
        if (response.body.kind !== 'single') throw new Error('expected a single result');
        const { data, errors } = response.body.singleResult;
        expect(errors).toBeUndefined();
        expect(JSON.stringify(data)).toBe(JSON.stringify(operation.expected(variables)));
      }
    },
  );

  it('draws operations in their shares, the same sequence for the same seed', () => {
    expect(MIX.reduce((sum, operation) => sum + operation.share, 0)).toBe(100);
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 20_000 }, () => drawOperation(random).name);
    };
    const names = draw(1);
    expect(draw(1)).toEqual(names);
    expect(draw(2)).not.toEqual(names);
    for (const operation of MIX) {
      const share = (100 * names.filter((name) => name === operation.name).length) / names.length;
      expect(Math.abs(share - operation.share)).toBeLessThan(1.5);
    }
  });
});
