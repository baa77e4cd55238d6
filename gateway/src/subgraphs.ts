/** The subgraphs the supergraph is composed from, and where each listens by default (docs/contract.md §1). */
export const SUBGRAPHS = [
  { name: 'accounts', url: 'http://127.0.0.1:4101/graphql' },
  { name: 'products', url: 'http://127.0.0.1:4102/graphql' },
  { name: 'reviews', url: 'http://127.0.0.1:4103/graphql' },
  { name: 'inventory', url: 'http://127.0.0.1:4104/graphql' },
  { name: 'orders', url: 'http://127.0.0.1:4105/graphql' },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];
