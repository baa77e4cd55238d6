// The benchmark's operation. graphql-hive/graphql-gateways-benchmark's k6 script sends TestQuery with
// three levels of nesting (users -> reviews -> product -> reviews -> author -> reviews -> product);
// through a gateway its answer is 87,599 bytes of compact JSON, which this TestQuery reproduces
// exactly. TEST_QUERY_SHALLOW is the shorter variant without the nested levels (11,189 bytes).

const FRAGMENTS = `fragment User on User {
  id
  username
  name
}

fragment Review on Review {
  id
  body
}

fragment Product on Product {
  inStock
  name
  price
  shippingEstimate
  upc
  weight
}`;

export const TEST_QUERY = `${FRAGMENTS}

query TestQuery {
  users {
    ...User
    reviews {
      ...Review
      product {
        ...Product
        reviews {
          ...Review
          author {
            ...User
            reviews {
              ...Review
              product {
                ...Product
              }
            }
          }
        }
      }
    }
  }
  topProducts {
    ...Product
    reviews {
      ...Review
      author {
        ...User
        reviews {
          ...Review
          product {
            ...Product
          }
        }
      }
    }
  }
}
`;

export const TEST_QUERY_SHALLOW = `${FRAGMENTS}

query TestQuery {
  users {
    ...User
    reviews {
      ...Review
      product {
        ...Product
      }
    }
  }
  topProducts {
    ...Product
    reviews {
      ...Review
      author {
        ...User
      }
    }
  }
}
`;

/** The compact JSON size, in bytes, of `{ data }` for TEST_QUERY as the benchmark reports it. */
export const TEST_QUERY_RESPONSE_BYTES = 87_599;
