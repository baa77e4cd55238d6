import { readFileSync } from 'node:fs';
import { contractViolations } from '@edgeway/platform/testing';
import { buildSchema as parseSDL } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Bff } from '../app.js';
import { buildBffSchema } from '../schema.js';
import { harnessPerTest, REPO_ROOT } from './harness.js';

/**
 * What every BFF must do at its edge, run against each BFF (siblings share a conformance suite):
 * serve its client contract, and turn away bad tokens before any upstream is called. `query` is
 * one of the BFF's own operations that would call the gateway.
 */
export function describeBffEdge<Own>(bff: Bff<Own>, query: string): void {
  describe(bff.name, () => {
    const start = harnessPerTest(bff);

    it('serves every type, field, argument and enum value of the client contract', () => {
      const contract = readFileSync(new URL(`contracts/${bff.name}.graphql`, REPO_ROOT), 'utf8');
      expect(contractViolations(parseSDL(contract), buildBffSchema(bff.features))).toEqual([]);
    });

    it.each([
      ['a malformed header', 'Bearer not-a-token'],
      ['a token from an unknown issuer', 'Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'],
    ])('rejects %s with 401 UNAUTHENTICATED before calling any upstream', async (_what, authorization) => {
      const harness = await start();
      const { status, body } = await harness.graphql(query, { headers: { authorization } });
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(harness.calls.gateway).toHaveLength(0);
    });

    it('rejects an expired token with 401', async () => {
      const harness = await start();
      const token = await harness.issuer.sign('1', { expiresIn: Math.floor(Date.now() / 1000) - 3600 });
      const { status } = await harness.graphql(query, { headers: { authorization: `Bearer ${token}` } });
      expect(status).toBe(401);
    });
  });
}
