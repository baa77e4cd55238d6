import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { IDE_CLIENT_SCRIPT } from './ideClient.js';
import { isGraphQLRoute } from './route.js';

export interface GraphQLIdeOptions {
  /** Shown in the browser tab, e.g. the service name. */
  title: string;
  /** The GraphQL route the IDE sits on and queries. @default '/graphql' */
  path?: string;
  /** What the first tab opens with (comments are welcome: they teach). @default a comment on how to start */
  defaultQuery?: string;
  /** What the headers editor opens with. @default DEVELOPMENT_TOKEN_HEADERS */
  defaultHeaders?: string;
}

/**
 * The headers editor's first content: where a development token goes. The IDE does not send a
 * header that still holds the `<paste` placeholder, so the prefilled editor queries anonymously.
 */
export const DEVELOPMENT_TOKEN_HEADERS = `{
  "authorization": "Bearer <paste: npm run -s token -- 1>"
}`;

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

// Prebuilt browser files of the project's own dependencies (UMD: React and GraphiQL as globals),
// so the page needs nothing but this service: it works on a laptop with no network.
const ASSETS: Record<string, { file: () => string; type: string }> = {
  'react.js': { file: () => join(packageDir('react'), 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': {
    file: () => join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
    type: 'text/javascript',
  },
  'graphiql.js': { file: () => join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: () => join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css' },
};
const VERSION = (require('graphiql/package.json') as { version: string }).version;

const DEFAULT_QUERY = `# Write a query and run it with the ▶ button (Ctrl-Enter); the Docs button lists the schema.
# Signed in: in Headers, replace <paste: ...> with the output of \`npm run -s token -- 1\`.
`;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(options: Required<GraphQLIdeOptions>, assets: string): string {
  // JSON inside <script type="application/json"> is data, not code; `<` escaped so it cannot end the tag.
  const config = JSON.stringify({
    endpoint: options.path,
    defaultQuery: options.defaultQuery,
    defaultHeaders: options.defaultHeaders,
  }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assets}/graphiql.css?v=${VERSION}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script id="edgeway-ide-config" type="application/json">${config}</script>
<script src="${assets}/react.js?v=${VERSION}"></script>
<script src="${assets}/react-dom.js?v=${VERSION}"></script>
<script src="${assets}/graphiql.js?v=${VERSION}"></script>
<script src="${assets}/init.js?v=${VERSION}"></script>
</body>
</html>
`;
}

/** A browser asking for a page (not a GraphQL GET, which carries `query`), as Apollo's landing page decides. */
function wantsPage(req: FastifyRequest): boolean {
  if (req.method !== 'GET' || !req.headers.accept?.includes('text/html') || !isGraphQLRoute(req)) return false;
  const search = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
  return !new URLSearchParams(search).has('query');
}

/**
 * An offline GraphQL IDE (GraphiQL) on the GraphQL route: `GET <path>` from a browser answers
 * the page, every other request still reaches GraphQL. Development only: the caller installs
 * it unless production (introspection, which the IDE's docs need, is off there anyway).
 */
export function installGraphQLIde(app: FastifyInstance, options: GraphQLIdeOptions): void {
  const resolved: Required<GraphQLIdeOptions> = {
    path: '/graphql',
    defaultQuery: DEFAULT_QUERY,
    defaultHeaders: DEVELOPMENT_TOKEN_HEADERS,
    ...options,
  };
  const assets = `${resolved.path}/ide`;
  const html = page(resolved, assets);
  const loaded = new Map<string, Promise<Buffer>>();

  app.addHook('onRequest', async (req, reply) => {
    if (!wantsPage(req)) return;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });

  app.get<{ Params: { file: string } }>(`${assets}/:file`, async (req, reply) => {
    const { file } = req.params;
    if (file !== 'init.js' && !Object.hasOwn(ASSETS, file)) return reply.callNotFound();
    reply.header('cache-control', 'public, max-age=86400');
    if (file === 'init.js') return reply.type('text/javascript; charset=utf-8').send(IDE_CLIENT_SCRIPT);
    const asset = ASSETS[file]!;
    // Read on first use only: most processes (tests, production) never serve the IDE.
    let body = loaded.get(file);
    if (!body) {
      body = readFile(asset.file());
      loaded.set(file, body);
      body.catch(() => loaded.delete(file));
    }
    return reply.type(`${asset.type}; charset=utf-8`).send(await body);
  });
}
