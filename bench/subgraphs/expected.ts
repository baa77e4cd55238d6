// The answers to TEST_QUERY and TEST_QUERY_SHALLOW (query.ts), computed straight from data.ts with
// no GraphQL and no federation, as a gateway must assemble them from the four subgraphs. Objects
// are built with keys in selection order (fragments expanded where they are spread), so the
// results compare with deep equality and serialize to the same bytes as a gateway's answer.
import {
  benchShippingEstimate,
  INVENTORY_BY_UPC,
  PRODUCTS,
  PRODUCTS_BY_UPC,
  REVIEW_AUTHOR,
  reviewsOfProduct,
  TOP_PRODUCTS_DEFAULT_FIRST,
  USER_REVIEWS,
  USERS,
  USERS_BY_ID,
  type BenchProduct,
  type BenchReview,
  type BenchUser,
} from './data.js';

interface UserFields {
  id: string;
  username: string | null;
  name: string | null;
}

interface ReviewFields {
  id: string;
  body: string | null;
}

interface ProductFields {
  inStock: boolean | null;
  name: string | null;
  price: number | null;
  shippingEstimate: number | null;
  upc: string;
  weight: number | null;
}

export const userFields = (user: BenchUser): UserFields => ({ id: user.id, username: user.username, name: user.name });

export const reviewFields = (review: BenchReview): ReviewFields => ({ id: review.id, body: review.body });

// inStock and shippingEstimate come from the inventory subgraph, the rest from products.
export const productFields = (product: BenchProduct): ProductFields => ({
  inStock: INVENTORY_BY_UPC.get(product.upc)?.inStock ?? null,
  name: product.name,
  price: product.price,
  shippingEstimate: benchShippingEstimate(product),
  upc: product.upc,
  weight: product.weight,
});

export const productOf = (review: BenchReview): BenchProduct => {
  const product = PRODUCTS_BY_UPC.get(review.productUpc);
  if (!product) throw new Error(`review ${review.id} names unknown product ${review.productUpc}`);
  return product;
};

// Review.author: the reviews subgraph answers user 1 with its provided username; name comes from accounts.
export const authorFields = (): UserFields => ({
  id: REVIEW_AUTHOR.id,
  username: REVIEW_AUTHOR.username,
  name: USERS_BY_ID.get(REVIEW_AUTHOR.id)?.name ?? null,
});

const topProducts = (): readonly BenchProduct[] => PRODUCTS.slice(0, TOP_PRODUCTS_DEFAULT_FIRST);

// `...User reviews { ...Review product { ...Product } }` for the review author.
const authorWithReviews = () => ({
  ...authorFields(),
  reviews: USER_REVIEWS.map((review) => ({ ...reviewFields(review), product: productFields(productOf(review)) })),
});

/** The `data` of TEST_QUERY (the benchmark's TestQuery). */
export function expectedTestQueryData(): unknown {
  return {
    users: USERS.map((user) => ({
      ...userFields(user),
      reviews: USER_REVIEWS.map((review) => {
        const product = productOf(review);
        return {
          ...reviewFields(review),
          product: {
            ...productFields(product),
            reviews: reviewsOfProduct(product.upc).map((productReview) => ({
              ...reviewFields(productReview),
              author: authorWithReviews(),
            })),
          },
        };
      }),
    })),
    topProducts: topProducts().map((product) => ({
      ...productFields(product),
      reviews: reviewsOfProduct(product.upc).map((review) => ({
        ...reviewFields(review),
        author: authorWithReviews(),
      })),
    })),
  };
}

/** The `data` of TEST_QUERY_SHALLOW. */
export function expectedShallowTestQueryData(): unknown {
  return {
    users: USERS.map((user) => ({
      ...userFields(user),
      reviews: USER_REVIEWS.map((review) => ({ ...reviewFields(review), product: productFields(productOf(review)) })),
    })),
    topProducts: topProducts().map((product) => ({
      ...productFields(product),
      reviews: reviewsOfProduct(product.upc).map((review) => ({ ...reviewFields(review), author: authorFields() })),
    })),
  };
}
