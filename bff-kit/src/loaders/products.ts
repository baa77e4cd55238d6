import {
  type Cache,
  CHAOS_HEADER,
  errorAt,
  type GraphQLClient,
  type GraphQLResponse,
  type ResultOrigin,
  sha256Hex,
  type TypedDocumentNode,
} from '@edgeway/platform';
import { type DocumentNode, print } from 'graphql';
import { failEach, traceBatch } from './batch.js';
import { type CallOptions, GATEWAY, withData } from './gateway.js';

/** A BFF's `productsByUpc` operation: each BFF selects its own fields. */
type ProductsByUpc<P, V> = TypedDocumentNode<{ productsByUpc: ReadonlyArray<P | null> }, V>;

/** What the card cache keeps per upc: the gateway's product exactly as answered (null: no such product). */
interface Cached<P> {
  product: P | null;
}

// Documents are module constants: hash each once. The hash is of the printed document, so a
// change to a BFF's selection is a different key and never meets a card cached with other fields.
const documentIds = new WeakMap<DocumentNode, string>();
function documentIdOf(document: DocumentNode): string {
  let id = documentIds.get(document);
  if (id === undefined) {
    id = sha256Hex(print(document)).slice(0, 16);
    documentIds.set(document, id);
  }
  return id;
}

/**
 * A card is kept only from an answer that anyone could be given, for as long as it says: a
 * PUBLIC one, without errors (a degraded or partial answer is never kept; the gateway says
 * `no-store` for those anyway). PRIVATE, `no-store` and answers without Cache-Control are not.
 */
function shareableFor(response: GraphQLResponse<unknown>): number | undefined {
  const hint = response.cacheHint;
  return response.errors.length === 0 && hint?.scope === 'PUBLIC' && hint.maxAge > 0 ? hint.maxAge : undefined;
}

/** Injected faults must be seen: a request whose x-chaos reaches the gateway or a subgraph skips the cache. */
const injectsFaults = (call: CallOptions) => call.chaos !== undefined || call.headers[CHAOS_HEADER] !== undefined;

/**
 * One `productsByUpc` gateway request, answered per upc in order, as a product loader's batch
 * returns it: the BFF's model of the product, the error that explains why it is missing, or
 * null for an unknown upc. A failed call fails every upc it asked for.
 *
 * With `cache`, products are kept per document, other variables and upc for as long as the
 * gateway's `Cache-Control` allows (see `shareableFor`), and only the upcs not found there are
 * asked for. A cached product is exactly what the gateway answered for this document.
 */
export async function loadProductsByUpc<P, V extends { upcs: unknown }, M>(
  gateway: GraphQLClient,
  call: CallOptions,
  request: {
    upcs: readonly string[];
    document: ProductsByUpc<P, V>;
    /** The operation's variables but `upcs`. */
    variables: Omit<V, 'upcs'>;
    /** Where products are kept across requests (and replicas, in Redis). @default none */
    cache?: Cache | undefined;
  },
  toModel: (product: P, origin: ResultOrigin) => M,
): Promise<Array<M | Error | null>> {
  const { upcs, document, variables } = request;
  traceBatch(GATEWAY, upcs);
  const cache = request.cache && !injectsFaults(call) ? request.cache : undefined;
  const scope = cache && `${documentIdOf(document)}:${JSON.stringify(variables)}${call.vary ? `:${call.vary}` : ''}`;
  const keyOf = (upc: string) => `${scope}:${upc}`;
  const cached = cache ? await Promise.all(upcs.map((upc) => cache.get<Cached<P>>(keyOf(upc)))) : [];
  const answers: Array<M | Error | null | undefined> = upcs.map((_upc, i) => {
    const hit = cached[i];
    if (!hit) return undefined;
    // Kept only from answers without errors: no null in it is explained by an error.
    return hit.product === null
      ? null
      : toModel(hit.product, { errors: [], path: ['productsByUpc', i], dependency: GATEWAY });
  });
  const missing = upcs.filter((_upc, i) => answers[i] === undefined);
  if (missing.length === 0) return answers as Array<M | null>;

  let fetched: Array<M | Error | null>;
  try {
    const response = await gateway.execute(document, { ...variables, upcs: missing } as unknown as V, call);
    const { data, errors } = withData(response);
    fetched = missing.map((_upc, i) => {
      const product = data.productsByUpc[i] ?? null;
      const path = ['productsByUpc', i];
      return product
        ? toModel(product, { errors, path, dependency: GATEWAY })
        : (errorAt(errors, path, GATEWAY) ?? null);
    });
    const maxAge = cache && shareableFor(response);
    if (cache && maxAge) {
      await Promise.all(
        missing.map((upc, i) =>
          cache.set<Cached<P>>(keyOf(upc), { product: data.productsByUpc[i] ?? null }, maxAge * 1000),
        ),
      );
    }
  } catch (error) {
    fetched = failEach(missing, error);
  }
  let next = 0;
  return answers.map((answer) => (answer === undefined ? (fetched[next++] ?? null) : answer));
}
