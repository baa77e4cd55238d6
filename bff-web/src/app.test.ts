import { readFileSync } from 'node:fs';
import { contractViolations } from '@edgeway/platform/testing';
import { buildSchema as parseSDL } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSchema } from './schema.js';
import { REPO_ROOT, startHarness } from './testing/harness.js';

let harness: Awaited<ReturnType<typeof startHarness>>;
afterEach(() => harness?.close());

describe('bff-web', () => {
  it('serves every type, field, argument and enum value of the client contract', () => {
    const contract = readFileSync(new URL('../shared/contracts/bff-web.graphql', REPO_ROOT), 'utf8');
    expect(contractViolations(parseSDL(contract), buildSchema())).toEqual([]);
  });

  it.each([
    ['a malformed header', 'Bearer not-a-token'],
    ['a token from an unknown issuer', 'Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'],
  ])('rejects %s with 401 UNAUTHENTICATED before calling any upstream', async (_what, authorization) => {
    harness = await startHarness();
    const { status, body } = await harness.graphql('{ catalog { edges { cursor } } }', {
      headers: { authorization },
    });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(harness.calls.gateway).toHaveLength(0);
  });

  it('rejects an expired token with 401', async () => {
    harness = await startHarness();
    const token = await harness.issuer.sign('1', { expiresIn: Math.floor(Date.now() / 1000) - 3600 });
    const { status } = await harness.graphql('{ catalog { edges { cursor } } }', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status).toBe(401);
  });
});
