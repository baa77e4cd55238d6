// The benchmark's subgraph tier: the four subgraphs on one bare node:http server, POST /<name>
// (GraphQL over HTTP, JSON in and out), GET /health and GET /stats. It is deliberately cheap (no
// framework, no Apollo Server, no plugins) so that a benchmark measures the gateway, not this.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { buildBenchSchema, isBenchSubgraph, SUBGRAPHS, type BenchSubgraph } from './schemas.js';

export interface BenchSubgraphsOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /**
   * When set, answers carry `Cache-Control: max-age=<n>, public`, as an Apollo subgraph does for
   * data its `@cacheControl` hints allow (the gateway's response cache is measured with it).
   */
  cacheMaxAgeSeconds?: number;
}

export interface BenchSubgraphs {
  /** Where the server listens, e.g. `http://127.0.0.1:4200` (no trailing slash). */
  readonly baseUrl: string;
  /** The subgraph's endpoint, e.g. `http://127.0.0.1:4200/accounts`. */
  url(name: BenchSubgraph): string;
  /** POST requests received per subgraph so far (memo hits and bad requests included). */
  requests(): Record<BenchSubgraph, number>;
  close(): Promise<void>;
}

/** Distinct request bodies whose answers are kept (per server), oldest dropped first. */
const MEMO_LIMIT = 20_000;
/** Distinct query strings whose parsed and validated documents are kept (per subgraph). */
const DOCUMENT_CACHE_LIMIT = 1000;
/** Request bodies above this are refused (413); the benchmark's largest are a few kB. */
const MAX_BODY_BYTES = 1 << 20;

interface GraphQLRequestBody {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

type Parsed = { document: DocumentNode } | { errors: readonly { message: string }[] };

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const setBounded = <K, V>(map: Map<K, V>, key: K, value: V, limit: number): void => {
  if (map.size >= limit) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
};

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Answered (and the connection closed) at once; the rest of the body is ignored.
        reject(new HttpError(413, 'Request body too large'));
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const parseRequestBody = (body: string): GraphQLRequestBody => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON');
  }
  if (!isRecord(json) || typeof json.query !== 'string') {
    throw new HttpError(400, 'Request body must be a JSON object with a string "query"');
  }
  const { query, variables, operationName } = json;
  if (variables != null && !isRecord(variables)) throw new HttpError(400, '"variables" must be an object');
  if (operationName != null && typeof operationName !== 'string') {
    throw new HttpError(400, '"operationName" must be a string');
  }
  return { query, variables: variables ?? null, operationName: operationName ?? null };
};

const send = (
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'application/json',
  extra: Record<string, string> = {},
): void => {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
};

const errorBody = (message: string): string => JSON.stringify({ errors: [{ message }] });

const zeroCounts = (): Record<BenchSubgraph, number> =>
  Object.fromEntries(SUBGRAPHS.map((name) => [name, 0])) as Record<BenchSubgraph, number>;

class SubgraphExecutor {
  private readonly schema: GraphQLSchema;
  private readonly documents = new Map<string, Parsed>();

  constructor(name: BenchSubgraph) {
    this.schema = buildBenchSchema(name);
  }

  private document(query: string): Parsed {
    const cached = this.documents.get(query);
    if (cached) return cached;
    let parsed: Parsed;
    try {
      const document = parse(query);
      const errors = validate(this.schema, document);
      parsed = errors.length > 0 ? { errors: errors.map((error) => error.toJSON()) } : { document };
    } catch (error) {
      parsed = { errors: [{ message: error instanceof Error ? error.message : String(error) }] };
    }
    setBounded(this.documents, query, parsed, DOCUMENT_CACHE_LIMIT);
    return parsed;
  }

  /** The serialized `{ data, errors? }` answer. */
  async run({ query, variables, operationName }: GraphQLRequestBody): Promise<string> {
    const parsed = this.document(query);
    if ('errors' in parsed) return JSON.stringify({ errors: parsed.errors });
    const result = await execute({
      schema: this.schema,
      document: parsed.document,
      variableValues: variables,
      operationName,
      contextValue: {},
    });
    return JSON.stringify(result);
  }
}

export async function startBenchSubgraphs(options: BenchSubgraphsOptions = {}): Promise<BenchSubgraphs> {
  const { port = 0, host = '127.0.0.1' } = options;
  const answerHeaders: Record<string, string> =
    options.cacheMaxAgeSeconds === undefined
      ? {}
      : { 'cache-control': `max-age=${options.cacheMaxAgeSeconds}, public` };
  const executors = Object.fromEntries(SUBGRAPHS.map((name) => [name, new SubgraphExecutor(name)])) as Record<
    BenchSubgraph,
    SubgraphExecutor
  >;
  const counts = zeroCounts();
  // Answers memoized by subgraph and exact request body. The data is static, so an answer depends
  // on nothing else, and a gateway under load sends the same few bodies over and over: serving
  // them from memory keeps the subgraph tier far cheaper than the gateway, which is what is
  // measured. Bounded (oldest dropped first) so arbitrary traffic cannot grow it without limit.
  const memo = new Map<string, string>();

  // Request counts, and with `?bodies=1` the distinct bodies each subgraph was sent (the harness
  // replays them to measure the subgraph tier alone); counts alone are cheap to read often.
  const stats = (withBodies: boolean) => {
    if (!withBodies) return { requests: counts };
    const bodies = zeroCounts() as unknown as Record<BenchSubgraph, string[]>;
    for (const name of SUBGRAPHS) bodies[name] = [];
    for (const key of memo.keys()) {
      const cut = key.indexOf('\n');
      bodies[key.slice(0, cut) as BenchSubgraph].push(key.slice(cut + 1));
    }
    return { requests: counts, bodies };
  };

  const handleGraphQL = async (name: BenchSubgraph, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counts[name] += 1;
    const body = await readBody(req);
    const key = `${name}\n${body}`;
    const memoized = memo.get(key);
    if (memoized !== undefined) return send(res, 200, memoized, 'application/json', answerHeaders);
    const answer = await executors[name].run(parseRequestBody(body));
    setBounded(memo, key, answer, MEMO_LIMIT);
    send(res, 200, answer, 'application/json', answerHeaders);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const name = path.slice(1);
    if (isBenchSubgraph(name)) {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        return send(res, 405, errorBody('Only POST is supported'));
      }
      return handleGraphQL(name, req, res);
    }
    if (req.method === 'GET' && path === '/health') return send(res, 200, 'OK', 'text/plain; charset=utf-8');
    if (req.method === 'GET' && path === '/stats') {
      return send(res, 200, JSON.stringify(stats(/[?&]bodies=1\b/.test(req.url ?? ''))));
    }
    send(res, 404, errorBody(`Not found: ${req.method ?? ''} ${path}`));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      // A refused body may still be arriving; close the connection rather than read the rest.
      if (status === 413) res.setHeader('connection', 'close');
      send(res, status, errorBody(message));
    });
  });
  // Keep-alive stays on (node's default); idle connections of gateway and load-generator pools
  // are kept for a minute instead of node's 5 s, so pools are not reset between bursts.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port: boundPort } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const baseUrl = `http://${urlHost}:${boundPort}`;

  return {
    baseUrl,
    url: (name) => `${baseUrl}/${name}`,
    requests: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
