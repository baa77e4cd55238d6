// For the bench's tests: the benchmark subgraphs on a free port, and vanilla Apollo Gateway over them.
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll } from 'vitest';
import { type BenchSubgraphs, startBenchSubgraphs } from './server.js';
import { composeBenchSupergraph } from './supergraph.js';

export interface BenchFederation {
  subgraphs: BenchSubgraphs;
  gateway: ApolloServer;
}

/** Starts both before the file's tests and stops them after; the fields are set once started. */
export function useBenchFederation(): BenchFederation {
  const federation = {} as BenchFederation;
  beforeAll(async () => {
    federation.subgraphs = await startBenchSubgraphs({ port: 0 });
    federation.gateway = new ApolloServer({
      gateway: new ApolloGateway({ supergraphSdl: composeBenchSupergraph(federation.subgraphs.baseUrl) }),
    });
    await federation.gateway.start();
  });
  afterAll(async () => {
    await federation.gateway?.stop();
    await federation.subgraphs?.close();
  });
  return federation;
}
