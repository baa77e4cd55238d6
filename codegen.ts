import type { CodegenConfig } from '@graphql-codegen/cli';

// Types for every schema-first layer: subgraph resolvers, BFF resolvers, and the typed operations
// each BFF sends the gateway, validated against the gateway's composed API schema so that a
// subgraph change that breaks a BFF fails `npm run codegen`, not production.
const SUBGRAPHS = ['accounts', 'products', 'reviews', 'inventory', 'orders'];

// What each subgraph's resolvers hand around: seed records and entity references (a reference
// carries only its key), not the full GraphQL object types, whose every field would be required.
const SUBGRAPH_MAPPERS: Record<string, Record<string, string>> = {
  accounts: { User: '../data.js#UserRecord' },
  products: { Product: '../data.js#ProductRecord' },
  reviews: { Review: '../data.js#ReviewRecord', User: '../data.js#UserRef', Product: '../data.js#ProductRef' },
  inventory: { Product: '../data.js#StockedProduct' },
  orders: {
    Order: '../data.js#OrderRecord',
    OrderItem: '../data.js#OrderItemRecord',
    User: '../data.js#UserRef',
    Product: '../data.js#ProductRef',
  },
};
const BFFS = ['bff-web', 'bff-mobile'];

const scalarsAndStrictness = {
  useTypeImports: true,
  enumsAsTypes: true,
  avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
  maybeValue: 'T | null',
};

// The model each BFF type's resolvers receive as parent (what its screen resolvers build), keyed
// by GraphQL type; paths are relative to the generated file.
const BFF_MAPPERS: Record<string, Record<string, string>> = {
  'bff-mobile': {
    HomeScreen: '../features/home/home.js#HomeModel',
    Viewer: '../features/home/home.js#ViewerModel',
    ProductCard: '../features/common/product.js#ProductModel',
    ProductScreen: '../features/product/product.js#ProductScreenModel',
    ReviewSnippet: '../features/product/product.js#ReviewSnippetModel',
  },
  'bff-web': {
    Dashboard: '../features/dashboard/dashboard.js#DashboardModel',
    Order: '../features/dashboard/dashboard.js#OrderModel',
    OrderItem: '../features/dashboard/dashboard.js#OrderItemModel',
    Product: '../features/common/product.js#ProductModel',
    Review: '../features/common/user.js#ReviewModel',
    User: '../features/common/user.js#UserModel',
    ProductPage: '../features/productPage/productPage.js#ProductPageModel',
    ProductConnection: '../features/catalog/catalog.js#ConnectionModel',
    ProductEdge: '../features/catalog/catalog.js#EdgeModel',
  },
};

const config: CodegenConfig = {
  overwrite: true,
  ignoreNoDocuments: true,
  generates: {
    ...Object.fromEntries(
      SUBGRAPHS.map((name) => [
        `subgraphs/${name}/src/__generated__/resolvers.ts`,
        {
          schema: `subgraphs/${name}/schema.graphql`,
          plugins: ['typescript', 'typescript-resolvers'],
          config: {
            ...scalarsAndStrictness,
            federation: true,
            contextType: '../context.js#SubgraphContext',
            mapperTypeSuffix: 'Model',
            mappers: SUBGRAPH_MAPPERS[name],
          },
        },
      ]),
    ),
    ...Object.fromEntries(
      BFFS.flatMap((bff) => [
        [
          `${bff}/src/__generated__/resolvers.ts`,
          {
            schema: [`${bff}/src/features/*/*.graphql`, `!${bff}/src/features/*/*.gateway.graphql`],
            plugins: ['typescript', 'typescript-resolvers'],
            config: {
              ...scalarsAndStrictness,
              contextType: '../context.js#BffContext',
              mappers: BFF_MAPPERS[bff],
            },
          },
        ],
        [
          `${bff}/src/__generated__/gateway.ts`,
          {
            schema: 'gateway/api-schema.graphql',
            documents: [`${bff}/src/features/*/*.gateway.graphql`],
            // typescript-operations 6 declares the enums and inputs its operations use; adding the
            // typescript plugin would declare them a second time.
            plugins: ['typescript-operations', 'typed-document-node'],
            config: { ...scalarsAndStrictness, onlyOperationTypes: true },
          },
        ],
      ]),
    ),
  },
};

export default config;
