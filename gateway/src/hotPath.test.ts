import { createRequire } from 'node:module';
import { buildSchema } from '@apollo/federation-internals';
import { type DocumentNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { cachedOperationFromDocument, type OperationFromDocument } from './hotPath.js';

const require = createRequire(import.meta.url);
const build = (
  require('@apollo/federation-internals/dist/operations.js') as { operationFromDocument: OperationFromDocument }
).operationFromDocument;
const stats = { hits: 0 };
const operations = { operationFromDocument: cachedOperationFromDocument(build, stats) };

const schema = buildSchema('type Query { a: Int b: Int }');

/** A new document object over the same definitions, as the executor builds one per request. */
const again = (document: DocumentNode): DocumentNode => ({
  kind: document.kind,
  definitions: [...document.definitions],
});

describe('executor operation cache', () => {
  it("reuses the operation built for the executor's call over the same definitions", () => {
    const document = parse('{ a }');
    const first = operations.operationFromDocument(schema, again(document), { validate: false });
    const hits = stats.hits;
    expect(operations.operationFromDocument(schema, again(document), { validate: false })).toBe(first);
    expect(stats.hits).toBe(hits + 1);
  });

  it('builds anew for other definitions, another schema, or any other call', () => {
    const document = parse('{ a }');
    const hits = stats.hits;
    const first = operations.operationFromDocument(schema, document, { validate: false });
    expect(operations.operationFromDocument(schema, parse('{ a }'), { validate: false })).not.toBe(first);
    expect(
      operations.operationFromDocument(buildSchema('type Query { a: Int }'), document, { validate: false }),
    ).not.toBe(first);
    expect(operations.operationFromDocument(schema, document)).not.toBe(
      operations.operationFromDocument(schema, document),
    );
    const withFragment = parse('{ ...F } fragment F on Query { b }');
    const one = operations.operationFromDocument(schema, withFragment, { validate: false });
    const swapped = {
      ...withFragment,
      definitions: [withFragment.definitions[0]!, parse('fragment F on Query { a }').definitions[0]!],
    };
    expect(operations.operationFromDocument(schema, swapped, { validate: false })).not.toBe(one);
    expect(stats.hits).toBe(hits);
  });
});
