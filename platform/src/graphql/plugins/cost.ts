import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { fastifyRequestOf } from '../route.js';

/** What an operation's estimated cost is computed with. */
export interface CostOptions {
  /** Highest estimated cost allowed (OPERATION_LIMIT_EXCEEDED above it). */
  maxCost: number;
  /**
   * The same for a caller with a valid API key (a BFF: it limits its own clients' operations,
   * and its pages ask the gateway for whole lists). @default maxCost
   */
  maxCostApiKey?: number;
  /**
   * What a `first`/`last` argument counts for when the request leaves it without a value (a
   * variable that is missing or null): the largest list the services answer. @default 100
   */
  maxListSize?: number;
}

// graphql-armor's weights, so that a literal `first: 20` costs what it cost before variables counted.
const OBJECT_COST = 2;
const SCALAR_COST = 1;
const DEPTH_FACTOR = 1.5;

type Variables = Readonly<Record<string, unknown>> | undefined;

interface Walk {
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /**
   * Each fragment's cost, computed once: a fragment spread twice by a fragment spread twice...
   * would otherwise be walked 2^n times (thirty fragments: a billion walks, minutes of CPU).
   */
  fragmentCosts: Map<string, number>;
  variables: Variables;
  defaults: ReadonlyMap<string, ValueNode>;
  maxListSize: number;
  /** Set when a multiplier came from a variable (the cost then differs per request). */
  usedVariables: boolean;
}

function listSize(value: ValueNode, walk: Walk): number {
  if (value.kind === Kind.INT) return Number.parseInt(value.value, 10);
  if (value.kind !== Kind.VARIABLE) return 1;
  walk.usedVariables = true;
  const name = value.name.value;
  const given = walk.variables?.[name];
  if (typeof given === 'number' && Number.isFinite(given)) return given;
  if (given === undefined) {
    // Absent (not null): the variable's declared default applies, as the executor applies it;
    // without one the argument is as good as not written, and counts as it does without it.
    const fallback = walk.defaults.get(name);
    return fallback?.kind === Kind.INT ? Number.parseInt(fallback.value, 10) : 1;
  }
  return walk.maxListSize;
}

function booleanOf(value: ValueNode | undefined, walk: Walk): boolean | undefined {
  if (value?.kind === Kind.BOOLEAN) return value.value;
  if (value?.kind !== Kind.VARIABLE) return undefined;
  walk.usedVariables = true;
  const given = walk.variables?.[value.name.value];
  const fallback = walk.defaults.get(value.name.value);
  if (typeof given === 'boolean') return given;
  return given === undefined && fallback?.kind === Kind.BOOLEAN ? fallback.value : undefined;
}

/** A selection the executor leaves out (`@skip(if: true)`, `@include(if: false)`) costs nothing. */
function skipped(selection: SelectionNode, walk: Walk): boolean {
  const condition = (directive: DirectiveNode) => directive.arguments?.find((a) => a.name.value === 'if')?.value;
  for (const directive of selection.directives ?? []) {
    const name = directive.name.value;
    if (name === 'skip' && booleanOf(condition(directive), walk) === true) return true;
    if (name === 'include' && booleanOf(condition(directive), walk) === false) return true;
  }
  return false;
}

function multiplierOf(field: FieldNode, walk: Walk): number {
  const argument = field.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
  return argument ? Math.max(listSize(argument.value, walk), 1) : 1;
}

function selectionCost(set: SelectionSetNode, walk: Walk, seen: ReadonlySet<string>): number {
  let cost = 0;
  for (const selection of set.selections) {
    if (skipped(selection, walk)) continue;
    if (selection.kind === Kind.FIELD) {
      cost += DEPTH_FACTOR * fieldCost(selection, walk, seen);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      cost += selectionCost(selection.selectionSet, walk, seen);
    } else {
      cost += fragmentCost(selection.name.value, walk, seen);
    }
  }
  return cost;
}

function fragmentCost(name: string, walk: Walk, seen: ReadonlySet<string>): number {
  const known = walk.fragmentCosts.get(name);
  if (known !== undefined) return known;
  const fragment = walk.fragments.get(name);
  // Validation refuses fragment cycles before this runs; `seen` only guards the walk itself.
  if (!fragment || seen.has(name)) return 0;
  const cost = selectionCost(fragment.selectionSet, walk, new Set(seen).add(name));
  walk.fragmentCosts.set(name, cost);
  return cost;
}

function fieldCost(field: FieldNode, walk: Walk, seen: ReadonlySet<string>): number {
  if (field.name.value === '__schema') return 0;
  if (!field.selectionSet) return SCALAR_COST;
  return (OBJECT_COST + selectionCost(field.selectionSet, walk, seen)) * multiplierOf(field, walk);
}

/**
 * An operation's estimated cost with graphql-armor's model (objects 2, scalars 1, times 1.5 per
 * level, fragments flattened, a list times its `first`/`last`), except that a `first: $n` counts
 * with the request's value of `$n` (its declared default when absent, `maxListSize` when null or
 * not a number)
 * and a selection skipped by `@skip`/`@include` costs nothing: armor reads literals only, so a
 * variable walked past the limit. `usedVariables` says whether
 * the figure holds for this request only.
 */
export function operationCost(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
  maxListSize = 100,
): { cost: number; usedVariables: boolean } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const walk: Walk = { fragments, fragmentCosts: new Map(), variables, defaults, maxListSize, usedVariables: false };
  let cost = 0;
  for (const selection of operation.selectionSet.selections) {
    if (skipped(selection, walk)) continue;
    // Root fields are not weighted by depth (as in armor); a root fragment's fields are.
    cost +=
      selection.kind === Kind.FIELD
        ? fieldCost(selection, walk, new Set())
        : selectionCost({ ...operation.selectionSet, selections: [selection] }, walk, new Set());
  }
  return { cost, usedVariables: walk.usedVariables };
}

/**
 * Refuses (400 OPERATION_LIMIT_EXCEEDED) an operation whose estimated cost with this request's
 * variables is above `maxCost`, after validation and before anything runs. A cost that does not
 * depend on variables is computed once per document (Apollo hands the same parsed document to
 * every request with the same query).
 */
export function costLimitPlugin<C extends BaseContext>(options: CostOptions): ApolloServerPlugin<C> {
  const fixed = new WeakMap<OperationDefinitionNode, number>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const trusted = fastifyRequestOf(request.http)?.apiClient !== undefined;
          const maxCost = trusted ? (options.maxCostApiKey ?? options.maxCost) : options.maxCost;
          let cost = fixed.get(operation);
          if (cost === undefined) {
            const result = operationCost(document, operation, request.variables, options.maxListSize);
            cost = result.cost;
            if (!result.usedVariables) fixed.set(operation, cost);
          }
          if (cost > maxCost) {
            throw new GraphQLError(`Query Cost limit of ${maxCost} exceeded, found ${Math.round(cost)}.`, {
              extensions: { code: 'OPERATION_LIMIT_EXCEEDED', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
