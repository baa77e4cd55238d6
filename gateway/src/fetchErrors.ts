import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { AppError, UpstreamError } from '@edgeway/platform';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';

type Variables = Readonly<Record<string, unknown>>;
type Extensions = Record<string, unknown>;

/** What a failed fetch tells the client: a catalog code, and for a dependency, its name and why. */
function failureOf(subgraph: string, error: unknown): { message: string; extensions: Extensions } | undefined {
  if (error instanceof UpstreamError) {
    return {
      message: `${error.dependency} is unavailable`,
      extensions: { code: 'DEPENDENCY_UNAVAILABLE', dependency: error.dependency, reason: error.reason },
    };
  }
  if (error instanceof AppError) {
    return { message: error.message, extensions: { code: error.code, dependency: subgraph } };
  }
  return undefined;
}

/**
 * A failed subgraph fetch as the GraphQL answer a subgraph would give for it: `data: null` and
 * one error per field the fetch was to resolve, its path relative to the subgraph operation. The
 * query plan executor then places each error where that field sits in the client's answer (root
 * fields by response name; entity fields by `_entities` index) and adds the subgraph's name, as
 * it does for errors a subgraph reports itself. Undefined for an error that is not a fetch
 * failure (a bug), which the executor reports without a path as before.
 */
export function failedFetch(
  subgraph: string,
  error: unknown,
  request: { query?: string | undefined; variables?: Variables | undefined },
  document?: DocumentNode,
): GatewayGraphQLResponse | undefined {
  const failure = failureOf(subgraph, error);
  if (!failure) return undefined;
  const paths = fieldPaths(document ?? parsed(request.query), request.variables ?? {});
  // No field to place it on (an operation this reading does not know): one error without a path.
  const errors = paths.length > 0 ? paths.map((path) => ({ ...failure, path })) : [failure];
  return { data: null, errors };
}

let lastQuery: string | undefined;
let lastDocument: DocumentNode | undefined;

/** The executor passes the fetch's parsed document; parse only when it did not. */
function parsed(query: string | undefined): DocumentNode | undefined {
  if (query === undefined) return undefined;
  if (query !== lastQuery) {
    lastDocument = parse(query);
    lastQuery = query;
  }
  return lastDocument;
}

/**
 * The paths of the fields a subgraph operation resolves: `[field]` for each root field, and for
 * an entity fetch `['_entities', i, field]` for each representation and each field selected on
 * its type. Response names (aliases), `@skip`/`@include` and fragments are honoured as the
 * subgraph would honour them; `__typename` is the gateway's own and is left out.
 */
export function fieldPaths(document: DocumentNode | undefined, variables: Variables): Array<Array<string | number>> {
  const operation = document?.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (!document || !operation) return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const values: Record<string, unknown> = {};
  for (const v of operation.variableDefinitions ?? []) {
    const name = v.variable.name.value;
    values[name] =
      name in variables ? variables[name] : v.defaultValue ? valueFromASTUntyped(v.defaultValue, {}) : undefined;
  }
  const reading: Reading = { fragments, variables: values };
  const paths: Array<Array<string | number>> = [];
  for (const field of fieldsOf(operation.selectionSet, reading, () => true)) {
    const name = field.alias?.value ?? field.name.value;
    if (field.name.value !== '_entities') {
      if (field.name.value !== '__typename') paths.push([name]);
      continue;
    }
    const representations = entityRepresentations(field, reading);
    representations.forEach((typename, i) => {
      const onType = (condition: string | undefined) => condition === undefined || condition === typename;
      let selected = field.selectionSet ? fieldsOf(field.selectionSet, reading, onType) : [];
      // A type condition naming an interface the representation implements: its fields may all apply.
      if (selected.length === 0 && field.selectionSet) selected = fieldsOf(field.selectionSet, reading, () => true);
      const names = new Set(selected.map((f) => f.alias?.value ?? f.name.value));
      names.delete('__typename');
      for (const fieldName of names) paths.push([name, i, fieldName]);
    });
  }
  return paths;
}

interface Reading {
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Readonly<Record<string, unknown>>;
}

/** Each representation's `__typename`, in order (`representations` as an argument or a variable). */
function entityRepresentations(field: FieldNode, reading: Reading): Array<string | undefined> {
  const argument = field.arguments?.find((a) => a.name.value === 'representations');
  const value = argument ? valueFromASTUntyped(argument.value, reading.variables) : undefined;
  if (!Array.isArray(value)) return [];
  return value.map((r: unknown) => {
    const typename = (r as { __typename?: unknown } | null)?.__typename;
    return typeof typename === 'string' ? typename : undefined;
  });
}

/** The fields a selection set selects at its own level, through fragments whose type condition `applies`. */
function fieldsOf(set: SelectionSetNode, reading: Reading, applies: (typeCondition?: string) => boolean): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of set.selections) {
    if (!included(selection.directives, reading.variables)) continue;
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(selection.typeCondition?.name.value))
        fields.push(...fieldsOf(selection.selectionSet, reading, applies));
    } else {
      const fragment = reading.fragments.get(selection.name.value);
      if (fragment && applies(fragment.typeCondition.name.value)) {
        fields.push(...fieldsOf(fragment.selectionSet, reading, applies));
      }
    }
  }
  return fields;
}

/** `@skip(if:)` and `@include(if:)` as GraphQL execution reads them. */
function included(directives: FieldNode['directives'], variables: Readonly<Record<string, unknown>>): boolean {
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const condition = directive.arguments?.find((a) => a.name.value === 'if');
    const value = condition ? valueFromASTUntyped(condition.value, variables) === true : false;
    if (name === 'skip' && value) return false;
    if (name === 'include' && !value) return false;
  }
  return true;
}
