// Vanilla Apollo Gateway as its documentation sets it up, in plain JavaScript as its users run it:
// @apollo/gateway over the supergraph file, served by @apollo/server's standalone server, every
// default left as it is (its default subgraph fetcher included). The benchmark's baseline.
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const gateway = new ApolloGateway({ supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH ?? '', 'utf8') });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT ?? 4000) } });
console.log(JSON.stringify({ msg: 'listening', url }));
const stop = () => void server.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
