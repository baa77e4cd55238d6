import { selects } from '@edgeway/platform';
import type { GraphQLResolveInfo } from 'graphql';

/**
 * Which of a card's optional parts a gateway request asked for, by the name of the operation's
 * `@include(if: $name)` variable. The operations default every such variable to true (the whole
 * card); a screen turns off what its caller did not select, so no subgraph is asked for it.
 */
export type CardShape<F extends string = string> = Readonly<Record<F, boolean>>;

/**
 * The shape a resolver's caller needs: for each include variable, whether the operation selects
 * any of its `[type, field]` pairs below the field being resolved.
 */
export function shapeOf<F extends string>(
  info: GraphQLResolveInfo,
  parts: Readonly<Record<F, ReadonlyArray<readonly [string, string]>>>,
): CardShape<F> {
  const entries = Object.entries<ReadonlyArray<readonly [string, string]>>(parts).map(
    ([name, fields]) => [name, fields.some(([type, field]) => selects(info, type, field))] as const,
  );
  return Object.fromEntries(entries) as CardShape<F>;
}

/** The variables that ask the gateway for `shape`: only the parts left out (the operation defaults the rest to true). */
export function shapeVariables<F extends string>(shape: CardShape<F>): Partial<Record<F, false>> {
  return Object.fromEntries(
    Object.entries(shape)
      .filter(([, on]) => !on)
      .map(([name]) => [name, false]),
  ) as Partial<Record<F, false>>;
}

/** A stable name for a shape (its parts asked for), to key loaders by. */
export function shapeKey(shape: CardShape): string {
  return Object.keys(shape)
    .filter((name) => shape[name])
    .sort()
    .join('+');
}

/**
 * Every shape a card fetched as `shape` can serve: those asking for no part it lacks. A card is
 * primed under each of them, so it is never served to a caller that needs a part it was fetched
 * without, and a fuller card still serves a caller that needs less.
 */
export function narrowerShapes<F extends string>(shape: CardShape<F>): Array<CardShape<F>> {
  let shapes: Array<Record<string, boolean>> = [{}];
  for (const [name, on] of Object.entries(shape)) {
    shapes = shapes.flatMap((partial) =>
      on
        ? [
            { ...partial, [name]: true },
            { ...partial, [name]: false },
          ]
        : [{ ...partial, [name]: false }],
    );
  }
  return shapes as Array<CardShape<F>>;
}
