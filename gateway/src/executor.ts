// Edgeway's query plan executor: runs the plans of @apollo/gateway's own planner in place of its
// `executeQueryPlan` (dist/executeQueryPlan.js), with the same answers, errors and spans, and less
// work per request. Installed, guarded, by apolloPatches.ts; compared answer for answer with
// vanilla Apollo Gateway by gateway/test/differential.test.ts.
//
// What it does differently, and why (a CPU and allocation profile of the federation benchmark's
// TestQuery, where entities are merged thousands of times per answer):
// - entities under a plan's `Flatten` path are collected into one array, walking the path by
//   index; Apollo's copies the rest of the path and builds an array at every list it crosses, for
//   every element (4 % of the gateway's CPU and 13 % of its allocation);
// - representations of entities are plain objects, not `Object.create(null)` dictionaries (they
//   are only serialised), and merging walks keys without an array of them per object;
// - each distinct representation is sent once per fetch, as Apollo Router sends them, and its
//   answer merged at every place of its entity: TestQuery's entity fetches carry 465
//   representations, 27 of them distinct, and the subgraphs' answers shrink with them;
// - no usage-reporting trace objects when no trace is captured (Apollo builds a protobuf node per
//   plan node on every request). A request that captures traces (Apollo usage reporting) is run
//   by Apollo's own executor, as are plans with `@defer` or subscriptions.
import { type DocumentNode, executeSync, GraphQLError, Kind, OperationTypeNode, visit } from 'graphql';

/* eslint-disable @typescript-eslint/no-explicit-any -- Apollo's plan, schema and context objects are used untyped here */
type Schema = any;
type RequestContext = any;
type OperationContext = any;
type Service = any;
type Span = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

type ResponsePath = ReadonlyArray<string | number>;
type Entity = Record<string, unknown>;

interface FieldSelection {
  kind: 'Field';
  alias?: string;
  name: string;
  selections?: readonly Selection[];
}
interface FragmentSelection {
  kind: 'InlineFragment';
  typeCondition?: string;
  selections: readonly Selection[];
}
type Selection = FieldSelection | FragmentSelection;

interface FetchNode {
  kind: 'Fetch';
  serviceName: string;
  variableUsages?: readonly string[];
  requires?: readonly Selection[];
  operation: string;
  operationName: string | undefined;
  operationDocumentNode?: DocumentNode;
  inputRewrites?: readonly unknown[];
  outputRewrites?: readonly unknown[];
}
type PlanNode =
  | { kind: 'Sequence' | 'Parallel'; nodes: readonly PlanNode[] }
  | { kind: 'Flatten'; path: ResponsePath; node: PlanNode }
  | { kind: 'Condition'; condition: string; ifClause?: PlanNode; elseClause?: PlanNode }
  | FetchNode
  | { kind: 'Defer' | 'Subscription' };
interface QueryPlan {
  node?: PlanNode;
}

interface SubgraphError {
  message?: string;
  path?: ResponsePath;
  extensions?: Record<string, unknown>;
}
interface SubgraphResponse {
  data?: Entity | null;
  errors?: readonly SubgraphError[];
  extensions?: Record<string, unknown>;
}

export type ExecuteQueryPlan = (
  queryPlan: QueryPlan,
  serviceMap: Record<string, Service>,
  requestContext: RequestContext,
  operationContext: OperationContext,
  supergraphSchema: Schema,
  apiSchema: Schema,
  telemetryConfig: unknown,
) => Promise<{ data?: unknown; errors?: readonly GraphQLError[]; extensions?: Record<string, unknown> }>;

/** What the executor takes from @apollo/gateway and @apollo/federation-internals (the copies the gateway uses). */
export interface ExecutorInternals {
  /** dist/utilities/opentelemetry.js */
  telemetry: {
    tracer: { startActiveSpan<T>(name: string, ...rest: unknown[]): T };
    OpenTelemetrySpanNames: { EXECUTE: string; FETCH: string; POST_PROCESSING: string };
    recordExceptions(span: Span, exceptions: readonly unknown[], config: unknown): void;
  };
  /** dist/dataRewrites.js */
  rewrites: {
    applyRewrites(schema: Schema, rewrites: readonly unknown[] | undefined, value: unknown): void;
    isObjectOfType(schema: Schema, obj: Entity, typeCondition: string): boolean;
  };
  /** dist/resultShaping.js, read at each call (compiled shaping, when installed, replaces its export). */
  shaping: {
    computeResponse(args: {
      operation: unknown;
      variables: Record<string, unknown> | undefined;
      input: unknown;
      introspectionHandling: (selection: { expandFragments(): { toSelectionNode(): unknown } }) => unknown;
    }): { data: unknown; errors: readonly GraphQLError[] };
  };
  /** dist/executeQueryPlan.js' error path helper. */
  generateHydratedPaths(parent: Array<string | number>, path: ResponsePath, data: unknown, result: unknown[][]): void;
  /** dist/datasources/types.js */
  incomingOperation: string;
  /** @apollo/federation-internals' index, read at each call (the cached operations replace its export). */
  federation: {
    operationFromDocument(
      schema: Schema,
      document: DocumentNode,
      options: { validate: boolean },
    ): {
      variableDefinitions: { definition(name: string): { defaultValue?: unknown } | undefined };
    };
    assert(condition: unknown, message: string | (() => string)): void;
    errorCodeDef(error: unknown): { err(message: string, options: object): GraphQLError } | undefined;
    ERRORS: { DOWNSTREAM_SERVICE_ERROR: { err(message: string, options: object): GraphQLError } };
  };
}

interface ExecutionContext {
  operation: ReturnType<ExecutorInternals['federation']['operationFromDocument']>;
  serviceMap: Record<string, Service>;
  requestContext: RequestContext;
  supergraphSchema: Schema;
  telemetryConfig: unknown;
  errors: GraphQLError[];
}

interface Cursor {
  path: ResponsePath;
  data: unknown;
  fullResult: Entity;
}

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);
const isObject = (value: unknown): value is Entity =>
  value !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value);

/** Whether Apollo's own executor must run the plan: node kinds this one does not run. */
function needsApollo(node: PlanNode | undefined): boolean {
  if (!node) return false;
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return node.nodes.some(needsApollo);
    case 'Flatten':
      return needsApollo(node.node);
    case 'Condition':
      return needsApollo(node.ifClause) || needsApollo(node.elseClause);
    case 'Fetch':
      return false;
    default:
      return true;
  }
}

/**
 * `target` with `source` merged in, as Apollo's `deepMerge` (utilities/deepMerge.js): objects
 * merged key by key, lists of the same length element by element, anything else replaced.
 */
export function deepMerge(target: Entity, source: unknown): Entity {
  if (source === undefined || source === null) return target;
  const from = source as Entity;
  for (const key in from) {
    if (!hasOwn(from, key)) continue;
    const value = from[key];
    if (value === undefined) continue;
    // A key Object.prototype has (`constructor`) is made an own property before it is read.
    if (!hasOwn(target, key) && key in target) {
      Object.defineProperty(target, key, { configurable: true, enumerable: true, value: undefined, writable: true });
    }
    const existing = target[key];
    // Already there (an answer shared by several places, merged at one of them before): nothing to do.
    if (existing === value) continue;
    if (existing && isObject(value)) {
      deepMerge(existing as Entity, value);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      for (let i = 0; i < value.length; i++) {
        if (isObject(existing[i]) && isObject(value[i])) deepMerge(existing[i] as Entity, value[i]);
        else existing[i] = value[i];
      }
    } else {
      target[key] = value;
    }
  }
  return target;
}

/**
 * The distinct representations of one entity fetch, told apart without a key string per entity: a
 * trie of maps, one level per value the representation holds, in the order it is read. Leaf values
 * are map keys themselves (a map keeps `1` and `"1"` apart), a value that is an object or a list of
 * scalars goes by its JSON under a marker of its own, and markers stand for the structure (a list's
 * ends, a nested object's end, null, a fragment that applies or not, a field that is missing). The
 * same path, the same representation; an entity met again costs map lookups, no allocation.
 */
type Trie = Map<unknown, unknown>;
const SLOT = Symbol('slot');
const JSON_VALUE = Symbol('json');
const LIST = Symbol('list');
const LIST_END = Symbol('list end');
const NESTED_END = Symbol('nested end');
const NULL_VALUE = Symbol('null');
const FRAGMENT = Symbol('fragment');
const NOT_THIS_TYPE = Symbol('not this type');
const MISSING = Symbol('missing');

function step(node: Trie, token: unknown): Trie {
  let next = node.get(token) as Trie | undefined;
  if (next === undefined) {
    next = new Map();
    node.set(token, next);
  }
  return next;
}

function leaf(node: Trie, value: unknown): Trie {
  if (value === null) return step(node, NULL_VALUE);
  return typeof value === 'object' ? step(step(node, JSON_VALUE), JSON.stringify(value)) : step(node, value);
}

/**
 * A subgraph's errors for deduplicated representations, one per place of the entity: an error at
 * `_entities.<slot>` is repeated at `_entities.<place>` for every place whose representation that
 * slot is, in the order of the places (as the subgraph, asked once per place, would have listed
 * them). Errors not pointing at an entity come first, as they came.
 */
export function errorsAtEveryPlace(
  errors: readonly SubgraphError[],
  places: readonly (readonly number[])[],
): SubgraphError[] {
  const general: SubgraphError[] = [];
  const atPlaces: Array<{ place: number; error: SubgraphError }> = [];
  for (const error of errors) {
    const slot = error.path?.[1];
    const at = typeof slot === 'number' ? places[slot] : undefined;
    if (!at || !error.path) {
      general.push(error);
      continue;
    }
    const rest = error.path.slice(2);
    for (const place of at) atPlaces.push({ place, error: { ...error, path: [error.path[0]!, place, ...rest] } });
  }
  atPlaces.sort((a, b) => a.place - b.place);
  return [...general, ...atPlaces.map(({ error }) => error)];
}

export function createExecuteQueryPlan(internals: ExecutorInternals, apollos: ExecuteQueryPlan): ExecuteQueryPlan {
  const { telemetry, rewrites, federation } = internals;
  const { tracer, OpenTelemetrySpanNames: names, recordExceptions } = telemetry;
  const ERROR = 2; // SpanStatusCode.ERROR
  const plans = new WeakMap<QueryPlan, boolean>();

  /** The value under a path's field name, checked as Apollo's `flattenResultsAtPath` checks it. */
  function fieldAt(value: unknown, key: string | number): unknown {
    federation.assert(typeof key === 'string', () => `Unexpected ${typeof key} found in path`);
    federation.assert(!Array.isArray(value), () => `Unexpected array in result for path element ${key}`);
    return hasOwn(value as object, key as string) ? (value as Entity)[key] : undefined;
  }

  /** The list at a path's `@`; anything else fails as Apollo's `value.flatMap(...)` call does. */
  function listAt(value: unknown): readonly unknown[] {
    if (!Array.isArray(value)) (value as unknown[]).flatMap(() => []);
    return value as unknown[];
  }

  /**
   * Apollo's `flattenResultsAtPath(value, path.slice(from))`, each element of it pushed to `out` (a
   * list spread one level, as `flatMap` does), without the copies.
   */
  function collect(value: unknown, path: ResponsePath, from: number, out: unknown[]): void {
    let current = value;
    for (let i = from; i < path.length; i++) {
      if (current === undefined || current === null) break;
      const key = path[i]!;
      if (key === '@') {
        for (const element of listAt(current)) collect(element, path, i + 1, out);
        return;
      }
      current = fieldAt(current, key);
    }
    if (Array.isArray(current)) for (const element of current) out.push(element);
    else out.push(current);
  }

  /** Apollo's `flattenResultsAtPath`: the value at `path`, the lists it crosses flattened. */
  function flattenAt(value: unknown, path: ResponsePath): unknown {
    let current = value;
    for (let i = 0; i < path.length; i++) {
      if (current === undefined || current === null) return current;
      const key = path[i]!;
      if (key === '@') {
        const out: unknown[] = [];
        for (const element of listAt(current)) collect(element, path, i + 1, out);
        return out;
      }
      current = fieldAt(current, key);
    }
    return current;
  }

  /** The representation of `source` that `selections` (a fetch's `requires`) ask for, or null. */
  function representationOf(schema: Schema, source: unknown, selections: readonly Selection[]): Entity | null {
    if (source === null) return null;
    const result: Entity = {};
    const from = source as Entity;
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.alias ? selection.alias : selection.name;
        const value = hasOwn(from, name) ? from[name] : undefined;
        if (value === undefined) return null;
        const inner = selection.selections;
        if (Array.isArray(value)) {
          result[name] = inner ? value.map((element: unknown) => representationOf(schema, element, inner)) : value;
        } else {
          result[name] = inner ? representationOf(schema, value, inner) : value;
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!selection.typeCondition || !from) continue;
        if (rewrites.isObjectOfType(schema, from, selection.typeCondition)) {
          deepMerge(result, representationOf(schema, from, selection.selections));
        }
      }
    }
    return result;
  }

  /** Set by `walk` when the (sub)representation it was reading would be null (a field missing). */
  let missing = false;

  /**
   * Follows (and grows) `node`'s trie along what `representationOf(schema, source, selections)`
   * would hold; see `Trie`. Stops at a missing field with `missing` set: at the top that
   * representation is null; below, the object holding it is (a path of its own, so two such
   * representations may be sent apart, never wrongly together).
   */
  function walk(schema: Schema, node: Trie, source: unknown, selections: readonly Selection[]): Trie {
    const from = source as Entity;
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.alias ? selection.alias : selection.name;
        const value = hasOwn(from, name) ? from[name] : undefined;
        if (value === undefined) {
          missing = true;
          return step(node, MISSING);
        }
        const inner = selection.selections;
        if (!inner) node = leaf(node, value);
        else if (Array.isArray(value)) {
          node = step(node, LIST);
          for (const element of value) node = nested(schema, node, element, inner);
          node = step(node, LIST_END);
        } else node = nested(schema, node, value, inner);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!selection.typeCondition) continue;
        node = rewrites.isObjectOfType(schema, from, selection.typeCondition)
          ? nested(schema, step(node, FRAGMENT), from, selection.selections)
          : step(node, NOT_THIS_TYPE);
      }
    }
    return node;
  }

  function nested(schema: Schema, node: Trie, value: unknown, selections: readonly Selection[]): Trie {
    if (value === null || value === undefined) return step(node, NULL_VALUE);
    const end = walk(schema, node, value, selections);
    missing = false;
    return step(end, NESTED_END);
  }

  function downstreamServiceError(
    error: SubgraphError,
    serviceName: string,
    pathOf: (path: ResponsePath | undefined) => ResponsePath | undefined,
  ): GraphQLError {
    const message = error.message || `Error while fetching subquery from service "${serviceName}"`;
    const options = {
      originalError: error,
      path: pathOf(error.path),
      extensions: { ...error.extensions, serviceName },
    };
    const code = federation.errorCodeDef(error);
    if (!code && error.extensions?.code) return new GraphQLError(message, options as object);
    return (code ?? federation.ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
  }

  /** Where a subgraph's error points in the client's answer (entity errors: the entity's own path). */
  function errorPaths(fetch: FetchNode, cursor: Cursor) {
    let hydrated: unknown[][] | undefined;
    return (path: ResponsePath | undefined): ResponsePath | undefined => {
      if (fetch.requires && typeof path?.[1] === 'number') {
        if (!hydrated) {
          hydrated = [];
          internals.generateHydratedPaths([], cursor.path, cursor.fullResult, hydrated);
        }
        return [...((hydrated[path[1]] as ResponsePath | undefined) ?? []), ...path.slice(2)];
      }
      return path ? [...cursor.path, ...path] : undefined;
    };
  }

  async function send(
    context: ExecutionContext,
    fetch: FetchNode,
    cursor: Cursor,
    service: Service,
    variables: Record<string, unknown>,
    places?: readonly number[][],
  ): Promise<Entity | null | undefined> {
    const { requestContext } = context;
    const response = (await service.process({
      kind: internals.incomingOperation,
      request: { query: fetch.operation, variables, operationName: fetch.operationName, http: undefined },
      incomingRequestContext: requestContext,
      context: requestContext.context,
      document: fetch.operationDocumentNode,
      pathInIncomingRequest: cursor.path,
    })) as SubgraphResponse;
    if (response.errors) {
      const pathOf = errorPaths(fetch, cursor);
      const received = places ? errorsAtEveryPlace(response.errors, places) : response.errors;
      context.errors.push(...received.map((error) => downstreamServiceError(error, fetch.serviceName, pathOf)));
      if (!response.extensions?.ftv1) {
        const paths = received.map((error) => ({ subgraph: fetch.serviceName, path: error.path }));
        if (requestContext.metrics.nonFtv1ErrorPaths) requestContext.metrics.nonFtv1ErrorPaths.push(...paths);
        else requestContext.metrics.nonFtv1ErrorPaths = paths;
      }
    }
    return response.data;
  }

  async function fetchInto(context: ExecutionContext, fetch: FetchNode, cursor: Cursor): Promise<void> {
    const service = context.serviceMap[fetch.serviceName];
    if (!service) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
    const entities: Entity[] = [];
    if (Array.isArray(cursor.data)) {
      for (const entity of cursor.data) if (entity !== null && entity !== undefined) entities.push(entity as Entity);
    } else {
      entities.push(cursor.data as Entity);
    }
    if (entities.length < 1) return;
    const variables: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const provided = context.requestContext.request.variables as Record<string, unknown> | undefined;
    if (fetch.variableUsages && provided) {
      for (const name of fetch.variableUsages) {
        if (hasOwn(provided, name) && provided[name] !== undefined) variables[name] = provided[name];
      }
    }
    const schema = context.supergraphSchema;
    if (!fetch.requires) {
      const data = await send(context, fetch, cursor, service, variables);
      if (data) rewrites.applyRewrites(schema, fetch.outputRewrites, data);
      for (const entity of entities) deepMerge(entity, data);
      return;
    }
    // Each distinct representation is sent once, as Apollo Router sends them: an entity met at many
    // places under the path (the same product under each of its reviews) is one representation, and
    // its answer is merged at every place. The places then share that answer's objects, which is
    // safe: the same representation gets the same answer, and the places, all under one path, get
    // the same later fetches and are shaped without being changed.
    const representations: Entity[] = [];
    const slotOf: number[] = [];
    const representationToEntity: number[] = [];
    const rewritesInput = fetch.inputRewrites !== undefined && fetch.inputRewrites.length > 0;
    // An input rewrite changes the representation after it is built: then the built one is the key.
    const trie: Trie | undefined = rewritesInput ? undefined : new Map();
    const rewrittenSlots = rewritesInput ? new Map<string, number>() : undefined;
    for (let index = 0; index < entities.length; index++) {
      const entity = entities[index];
      let slot: number | undefined;
      let end: Trie | undefined;
      if (trie) {
        if (entity === null || entity === undefined) continue;
        missing = false;
        end = walk(schema, trie, entity, fetch.requires);
        if (missing) continue;
        slot = end.get(SLOT) as number | undefined;
      }
      if (slot === undefined) {
        const representation = representationOf(schema, entity, fetch.requires);
        if (!(representation && representation.__typename)) continue;
        if (rewrittenSlots) {
          rewrites.applyRewrites(schema, fetch.inputRewrites, representation);
          const key = JSON.stringify(representation);
          slot = rewrittenSlots.get(key);
          if (slot === undefined) rewrittenSlots.set(key, representations.length);
        } else end?.set(SLOT, representations.length);
        if (slot === undefined) {
          slot = representations.length;
          representations.push(representation);
        }
      }
      slotOf.push(slot);
      representationToEntity.push(index);
    }
    if (representations.length < 1) return;
    if ('representations' in variables) throw new Error(`Variables cannot contain key "representations"`);
    // Where each representation's errors go: every place of its entity (only when some were shared).
    let places: number[][] | undefined;
    if (representations.length < slotOf.length) {
      places = representations.map(() => []);
      for (let i = 0; i < slotOf.length; i++) places[slotOf[i]!]!.push(i);
    }
    const data = await send(context, fetch, cursor, service, { ...variables, representations }, places);
    if (!data) return;
    const received = data._entities;
    if (!(received && Array.isArray(received))) throw new Error(`Expected "data._entities" in response to be an array`);
    if (received.length !== representations.length) {
      throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
    }
    const rewritten = new Uint8Array(received.length);
    for (let i = 0; i < slotOf.length; i++) {
      const slot = slotOf[i]!;
      const entity = received[slot] as Entity | null | undefined;
      const existing = entities[representationToEntity[i]!];
      if (!rewritten[slot]) {
        rewritten[slot] = 1;
        if (entity && !entity.__typename) entity.__typename = existing?.__typename;
        rewrites.applyRewrites(schema, fetch.outputRewrites, entity);
      }
      deepMerge(existing as Entity, entity);
    }
  }

  function runFetch(context: ExecutionContext, fetch: FetchNode, cursor: Cursor): Promise<void> {
    return tracer.startActiveSpan<Promise<void>>(
      names.FETCH,
      { attributes: { service: fetch.serviceName } },
      async (span: Span) => {
        try {
          await fetchInto(context, fetch, cursor);
        } catch (error) {
          recordExceptions(span, [error], context.telemetryConfig);
          span.setStatus({ code: ERROR });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  function condition(context: ExecutionContext, name: string): boolean {
    const values = context.requestContext.request.variables as Record<string, unknown> | undefined;
    let value = values && hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) value = context.operation.variableDefinitions.definition(name)?.defaultValue;
    federation.assert(value !== undefined, () => `Missing value for variable $${name} (and no default found)`);
    federation.assert(
      typeof value === 'boolean',
      () => `Invalid non-boolean value ${String(value)} for Boolean! variable $${name}`,
    );
    return value as boolean;
  }

  async function run(context: ExecutionContext, node: PlanNode, cursor: Cursor | undefined): Promise<void> {
    if (!cursor) return;
    switch (node.kind) {
      case 'Sequence':
        for (const child of node.nodes) await run(context, child, cursor);
        return;
      case 'Parallel':
        await Promise.all(node.nodes.map((child) => run(context, child, cursor)));
        return;
      case 'Flatten': {
        const data = flattenAt(cursor.data, node.path);
        const inner = data ? { path: cursor.path.concat(node.path), data, fullResult: cursor.fullResult } : undefined;
        return run(context, node.node, inner);
      }
      case 'Fetch':
        try {
          await runFetch(context, node, cursor);
        } catch (error) {
          context.errors.push(error as GraphQLError);
        }
        return;
      case 'Condition': {
        const branch = condition(context, node.condition) ? node.ifClause : node.elseClause;
        if (branch) await run(context, branch, cursor);
        return;
      }
      default:
        throw new Error(`plan node ${node.kind} reached Edgeway's executor`);
    }
  }

  function introspect(
    operationContext: OperationContext,
    selection: { kind: string; alias?: { value: string }; name: { value: string } },
    variables: Record<string, unknown> | undefined,
  ): unknown {
    const used = new Set<string>();
    visit(selection as never, { Variable: ({ name }) => void used.add(name.value) });
    const definitions = operationContext.operation.variableDefinitions as
      Array<{ variable: { name: { value: string } } }> | undefined;
    const usedDefinitions = definitions?.filter((definition) => used.has(definition.variable.name.value));
    federation.assert(
      used.size === (usedDefinitions?.length ?? 0),
      () => `Should have found all used variables ${[...used].join(',')} in definitions ${JSON.stringify(definitions)}`,
    );
    const { data, errors } = executeSync({
      schema: operationContext.schema,
      document: {
        kind: Kind.DOCUMENT,
        definitions: [
          {
            kind: Kind.OPERATION_DEFINITION,
            operation: OperationTypeNode.QUERY,
            variableDefinitions: usedDefinitions,
            selectionSet: { kind: Kind.SELECTION_SET, selections: [selection] },
          },
        ],
      } as unknown as DocumentNode,
      rootValue: {},
      variableValues: variables,
    });
    federation.assert(
      !errors || errors.length === 0,
      () =>
        `Introspection query for ${JSON.stringify(selection)} should not have failed but got ${JSON.stringify(errors)}`,
    );
    federation.assert(data, () => `Introspection query for ${JSON.stringify(selection)} should not have failed`);
    const name = selection.alias?.value ?? selection.name.value;
    const answer = data as Record<string, unknown>;
    return hasOwn(answer, name) ? answer[name] : undefined;
  }

  function shape(
    operation: unknown,
    operationContext: OperationContext,
    requestContext: RequestContext,
    errors: GraphQLError[],
    input: Entity,
    telemetryConfig: unknown,
  ) {
    return tracer.startActiveSpan<ReturnType<ExecuteQueryPlan>>(names.POST_PROCESSING, async (span: Span) => {
      let data: unknown;
      try {
        const variables = requestContext.request.variables as Record<string, unknown> | undefined;
        let late: readonly GraphQLError[];
        ({ data, errors: late } = internals.shaping.computeResponse({
          operation,
          variables,
          input,
          introspectionHandling: (field) =>
            introspect(operationContext, field.expandFragments().toSelectionNode() as never, variables),
        }));
        if (errors.length === 0 && late.length > 0) {
          recordExceptions(span, late, telemetryConfig);
          span.setStatus({ code: ERROR });
          return { extensions: { valueCompletion: late }, data };
        }
      } catch (error) {
        recordExceptions(span, [error], telemetryConfig);
        span.setStatus({ code: ERROR });
        if (error instanceof GraphQLError) return { errors: [error] };
        if (error instanceof Error) return { errors: [new GraphQLError(error.message, { originalError: error })] };
        (requestContext.logger || console).error(`Unexpected error during query plan execution: ${String(error)}`);
        return { errors: [new GraphQLError('Unexpected error during query plan execution')] };
      } finally {
        span.end();
      }
      return errors.length === 0 ? { data } : { errors, data };
    });
  }

  const executeQueryPlan: ExecuteQueryPlan = (...args) => {
    const [queryPlan, serviceMap, requestContext, operationContext, supergraphSchema, apiSchema, telemetryConfig] =
      args;
    let apollo = plans.get(queryPlan);
    if (apollo === undefined) plans.set(queryPlan, (apollo = needsApollo(queryPlan.node)));
    if (apollo || requestContext.metrics?.captureTraces) return apollos(...args);
    return tracer.startActiveSpan<ReturnType<ExecuteQueryPlan>>(names.EXECUTE, async (span: Span) => {
      try {
        let operation;
        try {
          operation = federation.operationFromDocument(
            apiSchema,
            {
              kind: Kind.DOCUMENT,
              definitions: [operationContext.operation, ...Object.values(operationContext.fragments)],
            } as DocumentNode,
            { validate: false },
          );
        } catch (error) {
          if (error instanceof GraphQLError) return { errors: [error] };
          throw error;
        }
        const errors: GraphQLError[] = [];
        const context: ExecutionContext = {
          operation,
          serviceMap,
          requestContext,
          supergraphSchema,
          telemetryConfig,
          errors,
        };
        const input = Object.create(null) as Entity;
        if (queryPlan.node) await run(context, queryPlan.node, { path: [], data: input, fullResult: input });
        const result = await shape(operation, operationContext, requestContext, errors, input, telemetryConfig);
        if (result.errors) {
          recordExceptions(span, result.errors, telemetryConfig);
          span.setStatus({ code: ERROR });
        }
        return result;
      } catch (error) {
        recordExceptions(span, [error], telemetryConfig);
        span.setStatus({ code: ERROR });
        throw error;
      } finally {
        span.end();
      }
    });
  };
  return executeQueryPlan;
}
