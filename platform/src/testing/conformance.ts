import { isDeepStrictEqual } from 'node:util';
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isRequiredArgument,
  isSpecifiedScalarType,
  isUnionType,
} from 'graphql';

function kindOf(type: GraphQLNamedType): string {
  return type.constructor.name;
}

function argumentViolations(where: string, expected: readonly GraphQLArgument[], actual: readonly GraphQLArgument[]) {
  const problems: string[] = [];
  for (const arg of expected) {
    const found = actual.find((a) => a.name === arg.name);
    if (!found) problems.push(`${where}(${arg.name}:) is missing`);
    else if (String(found.type) !== String(arg.type))
      problems.push(`${where}(${arg.name}:) is ${found.type}, expected ${arg.type}`);
    else if (!isDeepStrictEqual(found.defaultValue, arg.defaultValue))
      problems.push(`${where}(${arg.name}:) defaults to ${found.defaultValue}, expected ${arg.defaultValue}`);
  }
  // An added argument is fine unless a client that does not know it can no longer call the field.
  for (const arg of actual) {
    if (!expected.some((a) => a.name === arg.name) && isRequiredArgument(arg))
      problems.push(`${where}(${arg.name}:) is required but not in the contract`);
  }
  return problems;
}

function fieldViolations(
  typeName: string,
  expected: Record<string, GraphQLField<unknown, unknown>>,
  actual: Record<string, GraphQLField<unknown, unknown>>,
) {
  const problems: string[] = [];
  for (const field of Object.values(expected)) {
    const where = `${typeName}.${field.name}`;
    const found = actual[field.name];
    if (!found) problems.push(`${where} is missing`);
    else if (String(found.type) !== String(field.type))
      problems.push(`${where} is ${found.type}, expected ${field.type}`);
    else problems.push(...argumentViolations(where, field.args, found.args));
  }
  return problems;
}

/**
 * Where `actual` breaks the client contract `contract`: every contract type, field, argument
 * (type and default), enum value, union member and input field must exist identically; additions
 * are allowed. An empty list means the schema serves the contract.
 */
export function contractViolations(contract: GraphQLSchema, actual: GraphQLSchema): string[] {
  const problems: string[] = [];
  for (const expected of Object.values(contract.getTypeMap())) {
    if (isIntrospectionType(expected) || isSpecifiedScalarType(expected)) continue;
    const found = actual.getType(expected.name);
    if (!found) {
      problems.push(`type ${expected.name} is missing`);
      continue;
    }
    if (kindOf(found) !== kindOf(expected)) {
      problems.push(`type ${expected.name} is a ${kindOf(found)}, expected a ${kindOf(expected)}`);
      continue;
    }
    if ((isObjectType(expected) && isObjectType(found)) || (isInterfaceType(expected) && isInterfaceType(found))) {
      problems.push(...fieldViolations(expected.name, expected.getFields(), found.getFields()));
    } else if (isEnumType(expected) && isEnumType(found)) {
      for (const value of expected.getValues())
        if (!found.getValue(value.name)) problems.push(`enum value ${expected.name}.${value.name} is missing`);
    } else if (isUnionType(expected) && isUnionType(found)) {
      for (const member of expected.getTypes())
        if (!found.getTypes().some((t) => t.name === member.name))
          problems.push(`union ${expected.name} lacks ${member.name}`);
    } else if (isInputObjectType(expected) && isInputObjectType(found)) {
      for (const field of Object.values(expected.getFields())) {
        const other = found.getFields()[field.name];
        if (!other) problems.push(`${expected.name}.${field.name} is missing`);
        else if (String(other.type) !== String(field.type))
          problems.push(`${expected.name}.${field.name} is ${other.type}, expected ${field.type}`);
      }
    }
  }
  const roots = (s: GraphQLSchema) => [s.getQueryType(), s.getMutationType(), s.getSubscriptionType()];
  roots(contract).forEach((root, i) => {
    const other = roots(actual)[i];
    if (root && root.name !== other?.name) problems.push(`root type ${root.name} is served as ${other?.name}`);
  });
  return problems;
}
