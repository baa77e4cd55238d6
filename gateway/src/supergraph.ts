import { readFile } from 'node:fs/promises';
import type { SupergraphManager } from '@apollo/gateway';

/**
 * Serves the supergraph from a file (SUPERGRAPH_PATH): composed ahead of time, so the gateway
 * never introspects subgraphs at run time.
 */
export function supergraphFromFile(path: string): SupergraphManager {
  return {
    async initialize() {
      const supergraphSdl = await readFile(path, 'utf8');
      return { supergraphSdl };
    },
  };
}
