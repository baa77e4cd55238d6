// Vanilla Apollo Gateway for the differential tests, in a process of its own so that none of
// Edgeway's patches reach it: @apollo/gateway over SUPERGRAPH_PATH, served by @apollo/server's
// standalone server, defaults as documented. The one addition is what Edgeway's subgraphs require
// of any caller, a credential signed over each request's body, added in RemoteGraphQLDataSource's
// documented `willSendRequest` hook; SUBGRAPH_URLS (JSON, by name) overrides routing URLs.
// Prints {"url": ...} once it listens on a free loopback port; SIGTERM stops it.
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createInternalSigner, INTERNAL_CREDENTIAL_HEADER } from '@edgeway/platform';
import { TEST_SIGNING_KEY } from '@edgeway/platform/testing';

const sign = createInternalSigner({ secret: TEST_SIGNING_KEY });
const urls = JSON.parse(process.env.SUBGRAPH_URLS ?? '{}') as Record<string, string>;

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH ?? '', 'utf8'),
  buildService: ({ name, url }) =>
    new RemoteGraphQLDataSource({
      url: urls[name] ?? url,
      willSendRequest({ request }) {
        // The body RemoteGraphQLDataSource sends: the request without its `http` part.
        const { http, ...payload } = request;
        http?.headers.set(INTERNAL_CREDENTIAL_HEADER, sign(name, undefined, JSON.stringify(payload)));
      },
    }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
