import { AppError, fieldOf as fieldOfResult, orUnavailable, type ResultOrigin, withFallback } from '@edgeway/platform';
import { type GraphQLFormattedError, type GraphQLResolveInfo, responsePathAsArray } from 'graphql';
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

/** Codes a subgraph answers when the caller may not see a value: the caller's error, not an outage. */
const REFUSALS = new Set(['FORBIDDEN', 'UNAUTHENTICATED']);

function refusalAt(errors: readonly GraphQLFormattedError[], path: ReadonlyArray<string | number>) {
  return errors.find(
    (error) =>
      REFUSALS.has(String(error.extensions?.code)) &&
      error.path?.length === path.length &&
      error.path.every((key, i) => key === path[i]),
  );
}

/**
 * `object[field]` from a gateway answer. When it is null because of an error: a subgraph's
 * refusal at that very field (FORBIDDEN, UNAUTHENTICATED: someone else's order) is thrown as
 * the caller's error with its code (and the catalog's message: a subgraph's words stay inside); any other error is thrown as the failure of the dependency
 * (for `optional`, `required`, `orUnavailable`, `withFallback` to handle). `from` names the
 * subgraphs that serve the field (see `Subgraph`).
 */
export function fieldOf<T, K extends keyof T & string>(
  object: T,
  field: K,
  origin: ResultOrigin,
  from?: readonly Subgraph[],
): T[K] {
  if (object[field] === null) {
    const refusal = refusalAt(origin.errors, [...origin.path, field]);
    if (refusal) throw new AppError(refusal.extensions?.code as 'FORBIDDEN' | 'UNAUTHENTICATED');
  }
  return fieldOfResult(object, field, origin, from);
}

/**
 * Resolvers that answer the model's own value of each field, as the default resolver would,
 * but declared, so `unresolvedFields` knows the feature meant it: `Order: { ...fromModel('id', 'status') }`.
 * Use it for what the screen's model holds itself; a gateway field that a subgraph failure can
 * null needs `optional` or `required` instead.
 */
export function fromModel<K extends string>(
  ...fields: K[]
): { [F in K]: <M extends Record<F, unknown>>(model: M) => M[F] } {
  return Object.fromEntries(fields.map((field) => [field, (model: Record<string, unknown>) => model[field]])) as {
    [F in K]: <M extends Record<F, unknown>>(model: M) => M[F];
  };
}

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
