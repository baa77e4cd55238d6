// The supergraph of the four benchmark subgraphs, composed in process (Federation 2 composition).
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { benchSdl, SUBGRAPHS } from './schemas.js';

/** Where the CLI (main.ts) serves the subgraphs by default. */
export const DEFAULT_BENCH_SUBGRAPHS_URL = 'http://127.0.0.1:4200';

/**
 * The supergraph SDL, with each subgraph's routing URL `<baseUrl>/<name>` (the paths server.ts
 * serves). Gateways that take routing URLs from the supergraph need the real base URL here;
 * gateways configured with URL overrides can be given the default.
 */
export function composeBenchSupergraph(baseUrl: string = DEFAULT_BENCH_SUBGRAPHS_URL): string {
  const base = baseUrl.replace(/\/+$/, '');
  const result = composeServices(
    SUBGRAPHS.map((name) => ({ name, url: `${base}/${name}`, typeDefs: parse(benchSdl(name)) })),
  );
  if (result.errors) {
    const details = result.errors.map((error) => `  - ${error.message}`).join('\n');
    throw new Error(`composing the benchmark subgraphs failed:\n${details}`);
  }
  return result.supergraphSdl;
}
