// For the gateway's tests: a supergraph of subgraphs Edgeway has never heard of, each a small
// @apollo/subgraph schema served in-process on a free port, recording every request it gets and
// behaving as the test says (slow, failing, answering headers or a large body).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse } from 'graphql';

export interface ForeignSubgraphDefinition {
  name: string;
  /** Federation 2 SDL without the `@link` line. */
  sdl: string;
  /** Resolvers get `{ headers }`: the request headers the subgraph received. */
  resolvers: Record<
    string,
    Record<string, (parent: unknown, args: never, context: { headers: IncomingHttpHeaders }) => unknown>
  >;
  /** The URL written into the supergraph. @default where the test server listens */
  supergraphUrl?: string;
}

/** What the test makes a subgraph do; changed between cases. */
export interface Behaviour {
  /** Wait before answering. @default 0 */
  delayMs: number;
  /** Answer this many of the next requests with 503. @default 0 */
  failNext: number;
  /** Extra answer headers (Set-Cookie as an array). @default {} */
  headers: Record<string, string | string[]>;
  /** Padding added to the answer's extensions, to make it large. @default 0 */
  padBytes: number;
}

export interface ForeignSubgraph {
  name: string;
  url: string;
  /** Every request received, in order: its headers and body. */
  requests: Array<{ headers: IncomingHttpHeaders; body: string }>;
  behaviour: Behaviour;
  /** Requests being answered right now, and the most at once. */
  inFlight: { now: number; max: number };
}

export interface ForeignSupergraph {
  subgraphs: Record<string, ForeignSubgraph>;
  supergraphSdl: string;
  /** The supergraph, written to a temporary file (SUPERGRAPH_PATH). */
  supergraphPath: string;
  /** Back to the default behaviour, with no recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])\n';
const defaultBehaviour = (): Behaviour => ({ delayMs: 0, failNext: 0, headers: {}, padBytes: 0 });

function serve(definition: ForeignSubgraphDefinition, subgraph: ForeignSubgraph): Server {
  const schema = buildSubgraphSchema({
    typeDefs: parse(LINK + definition.sdl),
    resolvers: definition.resolvers as never,
  });
  return createServer((req, res) => {
    // The gateway's readiness probe while a circuit is open: answered "not ready", not recorded.
    if (req.method !== 'POST') return void res.writeHead(503).end();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString();
      subgraph.requests.push({ headers: req.headers, body });
      const { behaviour, inFlight } = subgraph;
      inFlight.max = Math.max(inFlight.max, ++inFlight.now);
      await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
      inFlight.now -= 1;
      if (behaviour.failNext > 0) {
        behaviour.failNext -= 1;
        res.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable');
        return;
      }
      const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
      const result = await execute({
        schema,
        document: parse(query),
        variableValues: variables,
        contextValue: { headers: req.headers },
      });
      const answer =
        behaviour.padBytes > 0 ? { ...result, extensions: { pad: 'x'.repeat(behaviour.padBytes) } } : result;
      res.writeHead(200, { 'content-type': 'application/json', ...behaviour.headers });
      res.end(JSON.stringify(answer));
    });
  });
}

/** Starts every subgraph on a free loopback port and composes their supergraph. */
export async function startForeignSupergraph(definitions: ForeignSubgraphDefinition[]): Promise<ForeignSupergraph> {
  const servers: Server[] = [];
  const subgraphs: Record<string, ForeignSubgraph> = {};
  for (const definition of definitions) {
    const subgraph: ForeignSubgraph = {
      name: definition.name,
      url: '',
      requests: [],
      behaviour: defaultBehaviour(),
      inFlight: { now: 0, max: 0 },
    };
    const server = serve(definition, subgraph);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    subgraph.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    servers.push(server);
    subgraphs[definition.name] = subgraph;
  }
  const composed = composeServices(
    definitions.map((d) => ({
      name: d.name,
      url: d.supergraphUrl ?? subgraphs[d.name]?.url,
      typeDefs: parse(LINK + d.sdl),
    })),
  );
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const supergraphPath = join(mkdtempSync(join(tmpdir(), 'edgeway-foreign-')), 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl);
  return {
    subgraphs,
    supergraphSdl: composed.supergraphSdl,
    supergraphPath,
    reset() {
      for (const subgraph of Object.values(subgraphs)) {
        subgraph.requests.length = 0;
        subgraph.behaviour = defaultBehaviour();
        subgraph.inFlight.max = subgraph.inFlight.now;
      }
    },
    close: () =>
      Promise.all(
        servers.map(
          (server) => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections())),
        ),
      ).then(() => undefined),
  };
}
