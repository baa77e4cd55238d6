import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/**
 * BFF_MAPPERS and, for every type the BFF's SDL declares that the table does not name, the
 * `<Type>Model` a feature module exports (the convention `npm run new:feature` follows).
 */
function mappersOf(bff: string): Record<string, string> {
  const dir = `${bff}/src/features`;
  const files = existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : [];
  const read = (file: string) => readFileSync(`${dir}/${file}`, 'utf8');
  const types = new Set(
    files
      .filter((file) => file.endsWith('.graphql') && !file.endsWith('.gateway.graphql'))
      .flatMap((file) => [...read(file).matchAll(/^\s*(?:extend\s+)?type\s+(\w+)/gm)].map((m) => m[1])),
  );
  const mappers = { ...BFF_MAPPERS[bff] };
  for (const file of files.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    for (const [, type] of read(file).matchAll(/^export\s+(?:interface|type)\s+(\w+)Model\b/gm)) {
      if (type && types.has(type) && !mappers[type])
        mappers[type] = `../features/${file.replace(/\.ts$/, '.js')}#${type}Model`;
    }
  }
  return mappers;
}

// CODEGEN_ONLY=bff-mobile generates only the outputs under those comma-separated folders (the
// feature scaffolder regenerates just its BFF).
const only = process.env.CODEGEN_ONLY?.split(',').filter(Boolean);

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
              mappers: mappersOf(bff),
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

if (only) {
  config.generates = Object.fromEntries(
    Object.entries(config.generates).filter(([output]) => only.some((folder) => output.startsWith(`${folder}/`))),
  );
}

export default config;
