// The four subgraph schemas of the benchmark: SDL from the .graphql files beside this module,
// resolvers over the in-memory dataset of data.ts. Resolvers answer what the benchmark's subgraphs
// answer, quirks included (see the comments), so a gateway gets the same bytes to merge.
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import {
  benchShippingEstimate,
  INVENTORY_BY_UPC,
  PRODUCTS,
  PRODUCTS_BY_UPC,
  REVIEW_AUTHOR,
  REVIEWS_BY_ID,
  reviewsOfProduct,
  TOP_PRODUCTS_DEFAULT_FIRST,
  USER_REVIEWS,
  USERS,
  USERS_BY_ID,
  type BenchReview,
} from './data.js';

export const SUBGRAPHS = ['accounts', 'inventory', 'products', 'reviews'] as const;
export type BenchSubgraph = (typeof SUBGRAPHS)[number];

type SchemaModule = Exclude<
  Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number],
  DocumentNode
>;
type Resolvers = NonNullable<SchemaModule['resolvers']>;

export const isBenchSubgraph = (name: string): name is BenchSubgraph => (SUBGRAPHS as readonly string[]).includes(name);

/** The subgraph's SDL, as written in `<name>.graphql`. */
export function benchSdl(name: BenchSubgraph): string {
  return readFileSync(new URL(`./${name}.graphql`, import.meta.url), 'utf8');
}

const accounts: Resolvers = {
  Query: {
    me: () => USERS[0],
    user: (_parent, { id }: { id: string }) => USERS_BY_ID.get(id) ?? null,
    users: () => USERS,
  },
  User: {
    __resolveReference: ({ id }: { id: string }) => USERS_BY_ID.get(id) ?? null,
  },
};

interface InventoryProduct {
  upc: string;
  inStock: boolean;
  /** From the representation (@requires); the benchmark ignores them, see benchShippingEstimate. */
  price?: number | null;
  weight?: number | null;
}

const inventory: Resolvers = {
  Product: {
    __resolveReference: (reference: { upc: string; price?: number | null; weight?: number | null }) => {
      const item = INVENTORY_BY_UPC.get(reference.upc);
      return item ? { ...reference, inStock: item.inStock } : null;
    },
    shippingEstimate: (product: InventoryProduct) => benchShippingEstimate(product),
  },
};

const products: Resolvers = {
  Query: {
    // A negative `first` answers every product, as the benchmark's `take(first as usize)` does.
    topProducts: (_parent, { first }: { first?: number | null }) => {
      const count = first ?? TOP_PRODUCTS_DEFAULT_FIRST;
      return count < 0 ? PRODUCTS : PRODUCTS.slice(0, count);
    },
    product: (_parent, { upc }: { upc: string }) => PRODUCTS_BY_UPC.get(upc) ?? null,
    // In the order asked, null for an unknown upc (as the system's products subgraph answers).
    productsByUpc: (_parent, { upcs }: { upcs: string[] }) => upcs.map((upc) => PRODUCTS_BY_UPC.get(upc) ?? null),
  },
  Product: {
    __resolveReference: ({ upc }: { upc: string }) => PRODUCTS_BY_UPC.get(upc) ?? null,
  },
};

const reviews: Resolvers = {
  Review: {
    __resolveReference: ({ id }: { id: string }) => REVIEWS_BY_ID.get(id) ?? null,
    product: (review: BenchReview) => ({ upc: review.productUpc }),
    // The benchmark answers user 1 as every review's author, with its username (@provides).
    author: () => REVIEW_AUTHOR,
  },
  User: {
    __resolveReference: ({ id }: { id: string }) => ({ id }),
    // The benchmark answers the first two reviews as every user's reviews.
    reviews: () => USER_REVIEWS,
  },
  Product: {
    __resolveReference: ({ upc }: { upc: string }) => ({ upc }),
    reviews: ({ upc }: { upc: string }) => reviewsOfProduct(upc),
  },
};

const RESOLVERS: Record<BenchSubgraph, Resolvers> = { accounts, inventory, products, reviews };

/** A fresh executable subgraph schema (with `_service` and `_entities`) for one of the four subgraphs. */
export function buildBenchSchema(name: BenchSubgraph): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: parse(benchSdl(name)), resolvers: RESOLVERS[name] }]);
}
