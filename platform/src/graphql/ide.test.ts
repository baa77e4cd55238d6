import { buildSchema } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../http/server.js';
import { createLogger } from '../log/logger.js';
import { installGraphQLIde } from './ide.js';
import { mountGraphQL } from './route.js';
import { createGraphQLServer } from './server.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

async function serve(withIde: boolean) {
  const http = createHttpServer({
    logger: createLogger({ service: 'ide-test', level: 'silent' }),
    errorShape: 'graphql',
  });
  const apollo = createGraphQLServer({
    source: { schema: buildSchema('type Query { hello: String }') },
    production: !withIde,
  });
  await apollo.start();
  http.app.addHook('onClose', () => apollo.stop());
  if (withIde) installGraphQLIde(http.app, { title: 'svc <test>', defaultQuery: '{ hello }' });
  mountGraphQL(http.app, { server: apollo, context: async () => ({}) });
  return http.app;
}

let app: Awaited<ReturnType<typeof serve>> | undefined;
afterEach(() => app?.close());

describe('installGraphQLIde', () => {
  it('answers a browser GET /graphql with a page that loads only same-origin files', async () => {
    app = await serve(true);
    const page = await app.inject({ method: 'GET', url: '/graphql', headers: { accept: BROWSER_ACCEPT } });

    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<title>svc &lt;test&gt; · GraphiQL</title>');
    const sources = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(sources.map((s) => s.split('?')[0])).toEqual([
      // An empty icon, so the browser does not ask for /favicon.ico.
      'data:,',
      '/graphql/ide/graphiql.css',
      '/graphql/ide/react.js',
      '/graphql/ide/react-dom.js',
      '/graphql/ide/graphiql.js',
      '/graphql/ide/init.js',
    ]);
    const config = JSON.parse(/type="application\/json">([^<]*)</.exec(page.body)?.[1] ?? '{}');
    expect(config).toEqual({
      endpoint: '/graphql',
      defaultQuery: '{ hello }',
      defaultHeaders: expect.stringContaining('"authorization": "Bearer <paste: npm run -s token -- 1>"'),
    });

    for (const source of sources.slice(1)) {
      const asset = await app.inject({ method: 'GET', url: source });
      expect(asset.statusCode, source).toBe(200);
      expect(asset.headers['content-type'], source).toMatch(
        source.includes('.css') ? /^text\/css/ : /^text\/javascript/,
      );
      // Nothing the page loads reaches for another host (fonts are inlined as data: URLs).
      expect(asset.body, source).not.toMatch(/(?:src|url)\(\s*["']?https?:|@import\s+url\(["']?https?:/);
    }
  });

  it('leaves GraphQL requests to GraphQL', async () => {
    app = await serve(true);
    const get = await app.inject({
      method: 'GET',
      url: '/graphql?query=%7Bhello%7D',
      headers: { accept: BROWSER_ACCEPT, 'apollo-require-preflight': 'true' },
    });
    const post = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      payload: { query: '{ __typename }' },
    });
    expect(get.json()).toEqual({ data: { hello: null } });
    expect(post.json()).toMatchObject({ data: { __typename: 'Query' } });
  });

  it('answers 404 for a file it does not serve', async () => {
    app = await serve(true);
    for (const file of ['..%2Fpackage.json', 'constructor', 'index.html']) {
      const missing = await app.inject({ method: 'GET', url: `/graphql/ide/${file}` });
      expect(missing.statusCode, file).toBe(404);
    }
  });

  it('is not there when not installed (production)', async () => {
    app = await serve(false);
    const page = await app.inject({ method: 'GET', url: '/graphql', headers: { accept: BROWSER_ACCEPT } });
    expect(page.headers['content-type']).not.toMatch(/text\/html/);
    expect((await app.inject({ method: 'GET', url: '/graphql/ide/graphiql.js' })).statusCode).toBe(404);
  });
});
