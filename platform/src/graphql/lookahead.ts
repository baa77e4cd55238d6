import {
  type GraphQLCompositeType,
  GraphQLIncludeDirective,
  type GraphQLResolveInfo,
  GraphQLSkipDirective,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

type Variables = GraphQLResolveInfo['variableValues'];

function included(node: SelectionNode, variables: Variables): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/**
 * Every place the operation selects `typeName.fieldName` below the field being resolved (through
 * fragments, honouring @skip/@include), each with its arguments coerced and defaults applied.
 * A resolver that loads a whole screen uses it to ask its upstreams, in one request, for what
 * nested fields will need, instead of leaving them to a waterfall of follow-up requests.
 */
export function selectedArguments(
  info: GraphQLResolveInfo,
  typeName: string,
  fieldName: string,
): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const visit = (selectionSet: SelectionSetNode | undefined, parent: GraphQLCompositeType) => {
    for (const node of selectionSet?.selections ?? []) {
      if (!included(node, info.variableValues)) continue;
      if (node.kind === Kind.FIELD) {
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const field = parent.getFields()[node.name.value];
        if (!field) continue;
        if (parent.name === typeName && field.name === fieldName) {
          found.push(getArgumentValues(field, node, info.variableValues));
        }
        const type = getNamedType(field.type);
        if (node.selectionSet && isCompositeType(type)) visit(node.selectionSet, type);
      } else {
        const fragment = node.kind === Kind.INLINE_FRAGMENT ? node : info.fragments[node.name.value];
        const condition = fragment?.typeCondition ? info.schema.getType(fragment.typeCondition.name.value) : parent;
        if (fragment && condition && isCompositeType(condition)) visit(fragment.selectionSet, condition);
      }
    }
  };
  const type = getNamedType(info.returnType);
  if (isCompositeType(type)) for (const node of info.fieldNodes) visit(node.selectionSet, type);
  return found;
}

/** Whether the operation selects `typeName.fieldName` anywhere below the field being resolved. */
export function selects(info: GraphQLResolveInfo, typeName: string, fieldName: string): boolean {
  return selectedArguments(info, typeName, fieldName).length > 0;
}
