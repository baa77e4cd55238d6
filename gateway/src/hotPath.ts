import type { DefinitionNode, DocumentNode } from 'graphql';

/** federation-internals' `operationFromDocument` (dist/operations.js), the function cached here. */
export type OperationFromDocument = (
  schema: object,
  document: DocumentNode,
  options?: { validate?: boolean; operationName?: string },
) => unknown;

/** What the cache counts: plain integers, read by tests and at each metrics scrape. */
export interface OperationCacheStats {
  /** Executor calls answered from the cache. */
  hits: number;
}

interface Cached {
  definitions: readonly DefinitionNode[];
  operation: unknown;
}

/**
 * Why: on every request @apollo/gateway's executor rebuilds federation's model of the client's
 * operation from its (already parsed, validated and cached) document, `operationFromDocument(...,
 * { validate: false })`, although the query plan for that same document comes from a cache. The
 * model depends only on the schema and the document's definitions, and is only read afterwards
 * (result shaping, conditions), so it is built once per schema and document and reused.
 *
 * The executor passes a new document object each time, but its definitions are the very nodes of
 * Apollo Server's cached document: the cache is keyed by the schema and the operation node, and
 * checked against every definition by identity. Only the executor's calls (validate: false) are
 * served from it; every other caller builds its operation as before. Installed by
 * apolloPatches.ts, which checks the versions it was written for.
 */
export function cachedOperationFromDocument(
  build: OperationFromDocument,
  stats: OperationCacheStats,
): OperationFromDocument {
  const bySchema = new WeakMap<object, WeakMap<DefinitionNode, Cached>>();
  return (schema, document, options) => {
    const first = document.definitions[0];
    // The executor's call passes `{ validate: false }` and nothing else (no operationName).
    if (options?.validate !== false || options.operationName !== undefined || !first) {
      return build(schema, document, options);
    }
    let byNode = bySchema.get(schema);
    if (!byNode) bySchema.set(schema, (byNode = new WeakMap()));
    const hit = byNode.get(first);
    if (
      hit &&
      hit.definitions.length === document.definitions.length &&
      hit.definitions.every((definition, i) => definition === document.definitions[i])
    ) {
      stats.hits++;
      return hit.operation;
    }
    const operation = build(schema, document, options);
    byNode.set(first, { definitions: [...document.definitions], operation });
    return operation;
  };
}
