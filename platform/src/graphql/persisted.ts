import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Kind, type OperationDefinitionNode, parse, print } from 'graphql';
import { AppError } from '../errors/catalog.js';
import { addKnownOperations } from '../metrics/labels.js';
import { isGraphQLRoute } from './route.js';

/** Apollo's persisted query manifest format (what Apollo Router and Apollo Client read). */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: Array<{ id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }>;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The manifest for a client's operations, one GraphQL document per source (an operation and
 * the fragments it uses). Bodies are printed canonically, so formatting changes do not change
 * an id; ids are the SHA-256 of the body, the same hash automatic persisted queries use.
 */
export function buildPersistedManifest(sources: readonly string[]): PersistedQueryManifest {
  const operations = sources.map((source) => {
    const document = parse(source);
    const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const op = ops[0];
    if (ops.length !== 1 || !op?.name) throw new Error('Each persisted document holds exactly one named operation');
    const body = print(document);
    return { id: sha256(body), name: op.name.value, type: op.operation, body };
  });
  operations.sort((a, b) => a.name.localeCompare(b.name));
  const names = operations.map((op) => op.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new Error(`Operation ${twice} is defined twice`);
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

export interface PersistedOperationsOptions {
  manifest: PersistedQueryManifest;
  /** Run only the manifest's operations (PERSISTED_QUERY_NOT_ALLOWED for anything else). */
  only: boolean;
}

interface GraphQLParams {
  query?: unknown;
  extensions?: unknown;
}

function persistedHashOf(extensions: unknown): string | undefined {
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? hash : undefined;
}

/**
 * Serves a client's persisted operations by id (`extensions.persistedQuery.sha256Hash` without a
 * query, as Apollo Client's persisted queries link sends them, on POST or GET), and with `only`
 * refuses every other operation before it is parsed. Without `only`, unknown hashes go on to
 * Apollo's automatic persisted queries.
 */
export function installPersistedOperations(app: FastifyInstance, options: PersistedOperationsOptions): void {
  const bodies = new Map<string, string>();
  for (const op of options.manifest.operations) {
    if (sha256(op.body) !== op.id) throw new Error(`Persisted operation ${op.name}: id is not the body's SHA-256`);
    bodies.set(op.id, op.body);
  }
  addKnownOperations(options.manifest.operations.map((op) => op.name));
  const notAllowed = () => new AppError('PERSISTED_QUERY_NOT_ALLOWED');

  app.addHook('preHandler', async (req) => {
    // Every GraphQL route, however its URL was spelled (the router decodes; a string compare would not).
    if (!isGraphQLRoute(req)) return;
    const get = req.method === 'GET';
    const params = (get ? req.query : req.body) as GraphQLParams | undefined;
    // Anything else (a batch, a non-object) is Apollo's to refuse.
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return;
    let extensions = params.extensions;
    if (get && typeof extensions === 'string') {
      try {
        extensions = JSON.parse(extensions) as unknown;
      } catch {
        return; // Apollo answers malformed extensions with 400
      }
    }
    const hash = persistedHashOf(extensions);
    if (typeof params.query === 'string' && params.query !== '') {
      if (options.only && !bodies.has(sha256(params.query))) throw notAllowed();
      return;
    }
    if (hash === undefined) return;
    const body = bodies.get(hash);
    if (body === undefined) {
      if (options.only) throw notAllowed();
      return;
    }
    // Known id: run the manifest's text. The extension is dropped so Apollo does not store the
    // operation again in the automatic persisted query cache on every request.
    if (get) {
      // The GraphQL route hands Apollo the query string as parsed into `req.query`.
      const query = params as Record<string, unknown>;
      query.query = body;
      delete query.extensions;
    } else if (extensions && typeof extensions === 'object') {
      params.query = body;
      const { persistedQuery: _pq, ...rest } = extensions as Record<string, unknown>;
      params.extensions = rest;
    }
  });
}
