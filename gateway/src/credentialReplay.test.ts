// A credential captured on the wire between the gateway and the orders subgraph: good for the
// very request it was signed for, and for nothing else.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, createTokenVerifier, INTERNAL_CREDENTIAL_HEADER } from '@edgeway/platform';
import { createTestIssuer } from '@edgeway/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayApp } from './app.js';
import { type RunningSubgraphs, startSubgraphs, startTestGateway } from './testing.js';

const logger = createLogger({ service: 'gateway-credential-replay', level: 'silent' });
const issuer = await createTestIssuer();
let subgraphs: RunningSubgraphs;
let gateway: GatewayApp;
let tap: Server;
const captured: Array<{ credential: string; body: string }> = [];

/** A wiretap in front of the orders subgraph: records what the gateway sends, passes it on. */
function wiretap(target: string): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const credential = String(req.headers[INTERNAL_CREDENTIAL_HEADER]);
      captured.push({ credential, body });
      const answer = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [INTERNAL_CREDENTIAL_HEADER]: credential },
        body,
      });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(await answer.text());
    });
  });
}

beforeAll(async () => {
  subgraphs = await startSubgraphs(logger);
  tap = wiretap(subgraphs.urls.orders!);
  await new Promise<void>((resolve) => tap.listen(0, '127.0.0.1', resolve));
  gateway = await startTestGateway(
    {
      subgraphUrls: {
        ...subgraphs.urls,
        orders: `http://127.0.0.1:${(tap.address() as AddressInfo).port}/graphql`,
      },
    },
    { logger, verify: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey }) },
  );
});
afterAll(async () => {
  await gateway.app.close();
  await gateway.stop();
  tap.closeAllConnections();
  await new Promise((resolve) => tap.close(resolve));
  await subgraphs.close();
});

const replay = (body: string, credential: string, method = 'POST') =>
  fetch(subgraphs.urls.orders!, {
    method,
    headers: { 'content-type': 'application/json', [INTERNAL_CREDENTIAL_HEADER]: credential },
    ...(method === 'POST' ? { body } : {}),
  });

describe('a credential captured between the gateway and a subgraph', () => {
  it('answers only the request it was signed for', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await issuer.sign('1')}` },
      payload: { query: '{ me { username orders(first: 1) { id } } }' },
    });
    expect(response.json().data.me.orders).toHaveLength(1);
    const [{ credential, body } = { credential: '', body: '' }] = captured;
    expect(credential).not.toBe('');

    // The very request again (within its seconds of life) is answered: the capture is real.
    expect((await replay(body, credential)).status).toBe(200);

    const parsed = JSON.parse(body) as { query: string; variables?: unknown };
    const others = [
      // All of the user's orders instead of one.
      JSON.stringify({ ...parsed, query: parsed.query.replace(/orders\([^)]*\)/, 'orders') }),
      JSON.stringify({ query: '{ _service { sdl } }' }),
      JSON.stringify({ ...parsed, variables: { representations: [{ __typename: 'User', id: '2' }] } }),
      `${body} `,
      body.replace('"', ' "'),
    ];
    for (const other of others) {
      const answer = await replay(other, credential);
      expect(answer.status).toBe(401);
      const text = await answer.text();
      expect(JSON.parse(text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(text).not.toContain('"orders"');
    }
    expect((await replay('', credential, 'GET')).status).toBe(401);
  });
});
