import { readFileSync } from 'node:fs';
import { parse, type OperationDefinitionNode } from 'graphql';
import { operationCost } from '../platform/src/graphql/plugins/cost.ts';
const doc = parse(readFileSync('/work/wt-edge-budget/bff-web/src/features/catalog/catalog.gateway.graphql','utf8') + readFileSync('/work/wt-edge-budget/bff-web/src/features/common/common.gateway.graphql','utf8'));
const op = (name: string) => doc.definitions.find((d: any) => d.kind === 'OperationDefinition' && d.name?.value === name) as OperationDefinitionNode;
for (const v of [{first:21, reviewsFirst:10, withReviews:true},{first:21, reviewsFirst:null, withReviews:true},{first:101, reviewsFirst:10, withReviews:true},{first:101, reviewsFirst:null, withReviews:false},{first:21, reviewsFirst:null, withReviews:false}])
  console.log(JSON.stringify(v), operationCost(doc, op('WebCatalog'), v).cost);
