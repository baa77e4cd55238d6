import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, HEADER } from '../scripts/composition.js';

const committed = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

describe('committed supergraph', () => {
  const composed = composeSupergraph();

  it('matches what npm run compose produces from the subgraph schemas', () => {
    expect(committed('supergraph.graphql'), 'gateway/supergraph.graphql is stale: run npm run compose').toBe(
      HEADER + composed.supergraphSdl,
    );
  });

  it('has an API schema that matches too (BFF codegen validates against it)', () => {
    expect(committed('api-schema.graphql'), 'gateway/api-schema.graphql is stale: run npm run compose').toBe(
      HEADER + composed.apiSchemaSdl,
    );
  });
});
