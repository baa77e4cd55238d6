import { describe, expect, it } from 'vitest';
import { graphql, tokenFor, url } from './support/client.js';

// One conformance suite for both BFFs (and the gateway where it applies): the HTTP surface of
// docs/contract.md §3 and the error shape of section 6.
const EDGES = ['bff-web', 'bff-mobile', 'gateway'] as const;

describe.each(EDGES)('%s: HTTP surface', (service) => {
  it('answers /healthz and /readyz', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const response = await fetch(`${url(service)}${path}`);
      expect(response.status, path).toBe(200);
    }
  });

  it('echoes a sane x-request-id and replaces an insane one', async () => {
    const sane = await fetch(`${url(service)}/healthz`, { headers: { 'x-request-id': 'client-req-42' } });
    expect(sane.headers.get('x-request-id')).toBe('client-req-42');
    const insane = await fetch(`${url(service)}/healthz`, {
      headers: { 'x-request-id': 'bad id with spaces <script>' },
    });
    const replaced = insane.headers.get('x-request-id');
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects a malformed token with 401 UNAUTHENTICATED and a WWW-Authenticate header', async () => {
    const answer = await graphql(service, '{ __typename }', { token: 'not-a-jwt' });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('rejects a well-formed token signed by someone else', async () => {
    const real = await tokenFor('1');
    const [header, payload] = real.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;
    const answer = await graphql(service, '{ __typename }', { token: forged });
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers malformed JSON with a coded error, not a crash', async () => {
    const response = await fetch(`${url(service)}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "{ __typename }"',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('answers a syntax error with GRAPHQL_PARSE_FAILED', async () => {
    const answer = await graphql(service, '{ unclosed ');
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('answers an unknown field with GRAPHQL_VALIDATION_FAILED', async () => {
    const answer = await graphql(service, '{ noSuchField }');
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('never shows an internal URL or a stack trace in an error', async () => {
    const answer = await graphql(service, '{ noSuchField }');
    const text = JSON.stringify(answer.body);
    expect(text).not.toMatch(/https?:\/\//);
    expect(text).not.toContain('stacktrace');
  });
});
