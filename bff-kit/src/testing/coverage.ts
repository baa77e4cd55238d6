import { Kind, parse } from 'graphql';
import type { Feature } from '../feature.js';

function resolves(resolver: unknown): boolean {
  if (typeof resolver === 'function') return true;
  return typeof resolver === 'object' && resolver !== null && typeof Reflect.get(resolver, 'resolve') === 'function';
}

/**
 * The fields (`Type.field`) that a feature's SDL declares on an object type (defined or extended
 * there) and that its resolvers leave to the default resolver. A feature that resolves every
 * field it declares explicitly cannot grow a field that silently answers null: pin it with
 * `expect(unresolvedFields(feature)).toEqual([])`.
 */
export function unresolvedFields(feature: Feature): string[] {
  const resolvers = (feature.resolvers ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const missing: string[] = [];
  for (const definition of parse(feature.typeDefs).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      if (!resolves(resolvers[definition.name.value]?.[field.name.value])) {
        missing.push(`${definition.name.value}.${field.name.value}`);
      }
    }
  }
  return missing;
}
