import { ApolloServer } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { createDegradationCollector, type DegradationCollector } from '../../resilience/degradation.js';
import { degradationPlugin } from './degradation.js';

interface Context {
  degradation: DegradationCollector;
}

async function run(degrade: boolean) {
  const server = new ApolloServer<Context>({
    typeDefs: 'type Query { picks: [String!]! }',
    resolvers: {
      Query: {
        picks: (_root: unknown, _args: unknown, ctx: Context) => {
          if (degrade) {
            ctx.degradation.record({
              path: ['picks'],
              dependency: 'recommendations',
              reason: 'CIRCUIT_OPEN',
              fallback: 'EMPTY',
            });
          }
          return [];
        },
      },
    },
    plugins: [degradationPlugin((ctx) => ctx.degradation)],
  });
  await server.start();
  const response = await server.executeOperation(
    { query: '{ picks }' },
    { contextValue: { degradation: createDegradationCollector() } },
  );
  await server.stop();
  return response;
}

describe('degradationPlugin', () => {
  it('lists what was left out in extensions.degraded and forbids caching, keeping status 200', async () => {
    const response = await run(true);
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    expect(response.body.singleResult.data).toEqual({ picks: [] });
    expect(response.body.singleResult.errors).toBeUndefined();
    expect(response.body.singleResult.extensions?.degraded).toEqual([
      { path: ['picks'], dependency: 'recommendations', reason: 'CIRCUIT_OPEN', fallback: 'EMPTY' },
    ]);
    expect(response.http.headers.get('cache-control')).toBe('no-store');
    expect(response.http.status ?? 200).toBe(200);
  });

  it('adds nothing to a complete answer', async () => {
    const response = await run(false);
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    expect(response.body.singleResult.extensions?.degraded).toBeUndefined();
  });
});
