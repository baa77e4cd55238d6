import { fieldOf, orUnavailable, type ResultOrigin, withFallback } from '@edgeway/platform';
import { type GraphQLResolveInfo, responsePathAsArray } from 'graphql';
import type { BffContext } from './context.js';

/**
 * The subgraphs behind the gateway, as its errors name them. A field names the ones that serve
 * it, so an error the gateway could not place is not blamed on a field it could not concern.
 */
export type Subgraph = 'accounts' | 'products' | 'reviews' | 'inventory' | 'orders';

/** Something the gateway answered, with where it sits in that answer. */
export interface FromGateway {
  origin: ResultOrigin;
}

export const pathOf = (info: GraphQLResolveInfo) => responsePathAsArray(info.path);

/** A nullable gateway field: when its subgraph failed it is null (fallback NULL, in the manifest). */
export function optional<M extends FromGateway, K extends keyof M & string>(
  model: M,
  field: K,
  from: Subgraph,
  ctx: Pick<BffContext, 'degradation'>,
  info: GraphQLResolveInfo,
): Promise<M[K] | null> {
  return withFallback(ctx.degradation, { path: pathOf(info), fallback: 'NULL' }, null, () =>
    fieldOf(model, field, model.origin, [from]),
  );
}

/** A gateway field the contract makes non-null: a failed subgraph is a DEPENDENCY_UNAVAILABLE error. */
export async function required<M extends FromGateway, K extends keyof M & string>(
  model: M,
  field: K,
  from: Subgraph,
  ctx: Pick<BffContext, 'degradation'>,
  info: GraphQLResolveInfo,
): Promise<NonNullable<M[K]>> {
  const value = await orUnavailable(ctx.degradation, pathOf(info), () => fieldOf(model, field, model.origin, [from]));
  if (value === null || value === undefined) throw new Error(`The gateway answered no ${field}`);
  return value;
}

/**
 * How many items to fetch so every selection's `first` can be served from one answer: the
 * largest, or null (all) when any selection asks for all.
 */
export function largest(firsts: ReadonlyArray<unknown>): number | null {
  let most = 0;
  for (const first of firsts) {
    if (typeof first !== 'number') return null;
    most = Math.max(most, first);
  }
  return most;
}
