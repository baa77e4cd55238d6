// The part of federation's model of an operation that result shaping reads (@apollo/federation-internals).
/* eslint-disable @typescript-eslint/no-explicit-any -- federation-internals' classes are used untyped here */
type Schema = any;
type Operation = any;
type Selection = any;
type SelectionSet = any;
type NamedType = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** What result shaping takes from @apollo/federation-internals (the copy @apollo/gateway uses). */
export interface ShapingInternals {
  Variable: new (...args: never[]) => { name: string };
  ERRORS: { INVALID_GRAPHQL: { err(message: string, options: { path: Array<string | number> }): Error } };
  assert(condition: unknown, message: string | (() => string)): void;
  isObjectType(type: unknown): boolean;
  isNonNullType(type: unknown): boolean;
  isListType(type: unknown): boolean;
  isCompositeType(type: unknown): boolean;
  isSubtype(type: unknown, maybeSubType: unknown): boolean;
  isValidLeafValue(schema: Schema, value: unknown, type: unknown): boolean;
  typenameFieldName: string;
}

export interface ComputeResponseArgs {
  operation: Operation;
  variables?: Record<string, unknown> | undefined;
  input: Record<string, unknown> | null | undefined;
  introspectionHandling: (selection: Selection) => unknown;
}
export type ComputeResponse = (args: ComputeResponseArgs) => { data: unknown; errors: Error[] };

// --- the compiled form of an operation ------------------------------------------------------

/** A field's type, unwrapped once instead of on every value. */
type TypePlan =
  | { kind: 'nonNull'; of: TypePlan; type: NamedType }
  | { kind: 'list'; of: TypePlan; type: NamedType }
  | { kind: 'composite'; type: NamedType }
  | { kind: 'leaf'; type: NamedType };

/** `@skip(if:)` / `@include(if:)` of one selection: a constant, or a variable's name. */
interface Condition {
  skip?: boolean | string;
  include?: boolean | string;
}

interface FieldPlan {
  kind: 'field';
  selection: Selection;
  condition: Condition | undefined;
  responseName: string;
  /** Names Object.prototype also has are read as own properties only. */
  ownOnly: boolean;
  introspection: boolean;
  typename: boolean;
  type: TypePlan;
  selectionSet: SetPlan | undefined;
}

interface FragmentPlan {
  kind: 'fragment';
  condition: Condition | undefined;
  typeCondition: NamedType | undefined;
  selectionSet: SetPlan;
  /** typeConditionApplies, per input __typename ('' when the input has none). */
  applies: Map<string, boolean>;
}

type SetPlan = Array<FieldPlan | FragmentPlan>;

interface OperationPlan {
  schema: Schema;
  root: SetPlan;
  rootType: NamedType;
  hasConditions: boolean;
}

const OK = 0;
const NULL_BUBBLE_UP = 1;

/**
 * Why: result shaping (`computeResponse`, which turns the merged subgraph data into the answer
 * in the client's selection order) was the gateway's largest source of garbage: for every object
 * of every answer it re-read the operation's selection sets, filtered each selection's
 * directives, unwrapped field types, allocated a result object per value and built the answer
 * from `Object.create(null)` objects, which V8 keeps in slow dictionary mode (and serializes on
 * its slow path). This is the same algorithm, with everything that depends only on the
 * operation compiled once per operation (the executor's operations are cached, see hotPath.ts),
 * and values passed back without allocation. Its answers and errors are the original's, value
 * for value (shaping.test.ts compares the two). Installed in place of @apollo/gateway's by
 * apolloPatches.ts, which checks the versions it was written for.
 */
export function createComputeResponse(internals: ShapingInternals, fallback: ComputeResponse): ComputeResponse {
  const {
    Variable,
    ERRORS,
    assert,
    isObjectType,
    isNonNullType,
    isListType,
    isCompositeType,
    isSubtype,
    isValidLeafValue,
    typenameFieldName,
  } = internals;
  const plans = new WeakMap<Operation, OperationPlan | null>();

  const conditionOf = (selection: Selection): Condition | undefined => {
    const element = selection.element;
    const schema = element.schema();
    const skip = element.appliedDirectivesOf(schema.skipDirective())[0];
    const include = element.appliedDirectivesOf(schema.includeDirective())[0];
    if (!skip && !include) return undefined;
    const valueOf = (directive: { arguments(): { if: unknown } }) => {
      const value = directive.arguments().if;
      return value instanceof Variable ? value.name : (value as boolean);
    };
    return { ...(skip ? { skip: valueOf(skip) } : {}), ...(include ? { include: valueOf(include) } : {}) };
  };

  const typePlanOf = (type: NamedType): TypePlan => {
    if (isNonNullType(type)) return { kind: 'nonNull', of: typePlanOf(type.ofType), type };
    if (isListType(type)) return { kind: 'list', of: typePlanOf(type.ofType), type };
    if (isCompositeType(type)) return { kind: 'composite', type };
    return { kind: 'leaf', type };
  };

  let unsupported = false;
  const compileSet = (selectionSet: SelectionSet): SetPlan =>
    selectionSet.selections().map((selection: Selection): FieldPlan | FragmentPlan => {
      const condition = conditionOf(selection);
      if (selection.kind === 'FieldSelection') {
        const field = selection.element;
        const responseName: string = field.responseName();
        if (responseName === '__proto__') unsupported = true;
        return {
          kind: 'field',
          selection,
          condition,
          responseName,
          ownOnly: responseName in Object.prototype,
          introspection: field.definition.isSchemaIntrospectionField(),
          typename: field.name === typenameFieldName,
          type: typePlanOf(field.definition.type),
          selectionSet: selection.selectionSet ? compileSet(selection.selectionSet) : undefined,
        };
      }
      return {
        kind: 'fragment',
        condition,
        typeCondition: selection.element.typeCondition,
        selectionSet: compileSet(selection.selectionSet),
        applies: new Map(),
      };
    });

  const hasConditions = (set: SetPlan): boolean =>
    set.some((s) => s.condition !== undefined || (s.selectionSet !== undefined && hasConditions(s.selectionSet)));

  const planOf = (operation: Operation): OperationPlan | null => {
    let plan = plans.get(operation);
    if (plan !== undefined) return plan;
    unsupported = false;
    const root = compileSet(operation.selectionSet);
    const schema = operation.schema();
    plan = unsupported
      ? null
      : {
          schema,
          root,
          rootType: schema.schemaDefinition.rootType(operation.rootKind),
          hasConditions: hasConditions(root),
        };
    plans.set(operation, plan);
    return plan;
  };

  return function computeResponse({ operation, variables, input, introspectionHandling }) {
    const plan = planOf(operation);
    if (!plan) return fallback({ operation, variables, input, introspectionHandling });
    if (!input) return { data: input, errors: [] };
    const schema = plan.schema;
    const errors: Error[] = [];
    const allVariables: Record<string, unknown> = plan.hasConditions
      ? { __proto__: null, ...operation.collectDefaultedVariableValues(), ...variables }
      : {};
    const path: Array<string | number> = [];
    // What the last updateOutputValue call said besides its value (read right after each call).
    let isInvalid = false;
    let hasErrors = false;

    const conditionValue = (value: boolean | string, directive: string): boolean => {
      if (typeof value === 'boolean') return value;
      const given = allVariables[value];
      assert(
        given !== undefined && typeof given === 'boolean',
        () => `Unexpected value ${String(given)} for variable $${value} of @${directive}(if: $${value})`,
      );
      return given as boolean;
    };
    const skipped = (condition: Condition | undefined): boolean =>
      condition !== undefined &&
      ((condition.skip !== undefined && conditionValue(condition.skip, 'skip')) ||
        (condition.include !== undefined && !conditionValue(condition.include, 'include')));

    const describeLast = (type: NamedType, parentType: NamedType): string => {
      const element = path[path.length - 1];
      assert(element !== undefined, 'Should not have been called on an empty path');
      return typeof element === 'string'
        ? `field ${String(parentType)}.${element}`
        : `array element of type ${String(type)} at index ${element}`;
    };

    const applies = (fragment: FragmentPlan, typename: unknown, parentType: NamedType): boolean => {
      if (!fragment.typeCondition) return true;
      const key = typeof typename === 'string' && typename ? typename : '';
      let result = key ? fragment.applies.get(key) : undefined;
      if (result === undefined) {
        if (key) {
          const type = schema.type(key);
          result = !!type && isSubtype(fragment.typeCondition, type);
          fragment.applies.set(key, result);
        } else {
          result = isSubtype(fragment.typeCondition, parentType);
        }
      }
      return result;
    };

    function applySet(
      inputObject: Record<string, unknown>,
      set: SetPlan,
      output: Record<string, unknown>,
      parentType: NamedType,
    ): number {
      for (let i = 0; i < set.length; i++) {
        const selection = set[i] as FieldPlan | FragmentPlan;
        if (selection.condition !== undefined && skipped(selection.condition)) continue;
        if (selection.kind === 'field') {
          const name = selection.responseName;
          const outputValue = selection.ownOnly
            ? Object.hasOwn(output, name)
              ? output[name]
              : undefined
            : output[name];
          if (selection.introspection) {
            if (outputValue === undefined) output[name] = introspectionHandling(selection.selection);
            continue;
          }
          let inputValue =
            (selection.ownOnly
              ? Object.hasOwn(inputObject, name)
                ? inputObject[name]
                : undefined
              : inputObject[name]) ?? null;
          if (selection.typename) {
            if (outputValue === undefined) {
              if (inputValue === null && name !== typenameFieldName) {
                inputValue = inputObject[typenameFieldName] ?? null;
              }
              const type =
                inputValue !== null && typeof inputValue === 'string'
                  ? (schema.type(inputValue) ?? parentType)
                  : parentType;
              if (!isObjectType(type)) return NULL_BUBBLE_UP;
              output[name] = type.name;
            }
            continue;
          }
          path.push(name);
          const updated = updateValue(outputValue, selection.type, inputValue, selection.selectionSet, parentType);
          output[name] = updated;
          path.pop();
          if (isInvalid) return NULL_BUBBLE_UP;
        } else {
          const typename = inputObject[typenameFieldName];
          assert(
            !typename || typeof typename === 'string',
            () => `Got unexpected value for __typename: ${String(typename)}`,
          );
          if (applies(selection, typename, parentType)) {
            const result = applySet(inputObject, selection.selectionSet, output, selection.typeCondition ?? parentType);
            if (result === NULL_BUBBLE_UP) return NULL_BUBBLE_UP;
          }
        }
      }
      return OK;
    }

    function updateValue(
      outputValue: unknown,
      type: TypePlan,
      inputValue: unknown,
      set: SetPlan | undefined,
      parentType: NamedType,
    ): unknown {
      isInvalid = false;
      hasErrors = false;
      if (outputValue === null || (outputValue !== undefined && !set)) return outputValue;
      switch (type.kind) {
        case 'nonNull': {
          const updated = updateValue(outputValue, type.of, inputValue, set, parentType);
          if (updated === null) {
            if (!hasErrors) {
              errors.push(
                ERRORS.INVALID_GRAPHQL.err(
                  `Cannot return null for non-nullable ${describeLast(type.of.type, parentType)}.`,
                  { path: Array.from(path) },
                ),
              );
            }
            isInvalid = true;
            hasErrors = true;
            return updated;
          }
          isInvalid = false;
          hasErrors = false;
          return updated;
        }
        case 'list': {
          if (inputValue === null) return null;
          assert(
            Array.isArray(inputValue),
            () =>
              `Invalid non-list value ${String(inputValue)} returned by subgraph for list type ${String(type.type)}`,
          );
          assert(
            outputValue === undefined || Array.isArray(outputValue),
            () =>
              `Invalid non-list value ${String(outputValue)} returned by subgraph for list type ${String(type.type)}`,
          );
          const inputList = inputValue as unknown[];
          const list = (outputValue as unknown[] | undefined) ?? new Array(inputList.length).fill(undefined);
          assert(
            inputList.length === list.length,
            () => `[${String(inputList)}].length (${inputList.length}) !== [${String(list)}].length (${list.length})`,
          );
          let nullify = false;
          let anyErrors = false;
          const updated = new Array(list.length);
          for (let i = 0; i < list.length; i++) {
            path.push(i);
            updated[i] = updateValue(list[i], type.of, inputList[i], set, parentType);
            path.pop();
            nullify ||= isInvalid;
            anyErrors ||= hasErrors;
          }
          isInvalid = false;
          hasErrors = anyErrors;
          return nullify ? null : updated;
        }
        case 'composite': {
          if (inputValue === null) return null;
          assert(set, () => `Invalid empty selection set for composite type ${String(type.type)}`);
          assert(
            typeof inputValue === 'object',
            () =>
              `Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${String(type.type)}`,
          );
          assert(
            outputValue === undefined || typeof outputValue === 'object',
            () =>
              `Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${String(type.type)}`,
          );
          const inputObject = inputValue as Record<string, unknown>;
          const inputTypename = inputObject[typenameFieldName];
          assert(
            inputTypename === undefined || typeof inputTypename === 'string',
            () => `Invalid non-string value ${String(inputTypename)} for __typename at ${String(path)}`,
          );
          let objectType = type.type;
          if (inputTypename) {
            const typenameType = schema.type(inputTypename);
            if (!typenameType || !isCompositeType(typenameType)) {
              errors.push(
                ERRORS.INVALID_GRAPHQL.err(
                  `Invalid __typename found for object at ${describeLast(type.type, parentType)}.`,
                  { path: Array.from(path) },
                ),
              );
              isInvalid = false;
              hasErrors = true;
              return null;
            }
            objectType = typenameType;
          }
          const output = (outputValue as Record<string, unknown> | undefined) ?? {};
          const result = applySet(inputObject, set as SetPlan, output, objectType);
          isInvalid = false;
          hasErrors = result === NULL_BUBBLE_UP;
          return hasErrors ? null : output;
        }
        case 'leaf': {
          if (inputValue === null) return null;
          assert(
            outputValue === undefined,
            () => `Excepted output to be undefined but got ${String(type.type)} for type ${String(type.type)}`,
          );
          const valid = isValidLeafValue(schema, inputValue, type.type);
          if (!valid) {
            errors.push(
              ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${describeLast(type.type, parentType)}.`, {
                path: Array.from(path),
              }),
            );
          }
          isInvalid = false;
          hasErrors = !valid;
          return valid ? inputValue : null;
        }
      }
    }

    const data: Record<string, unknown> = {};
    const result = applySet(input, plan.root, data, plan.rootType);
    return { data: result === NULL_BUBBLE_UP ? null : data, errors };
  };
}
