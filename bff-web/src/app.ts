import { readFileSync } from 'node:fs';
import { type BffConfig, type BffDeps, buildBffApp } from '@edgeway/bff-kit';
import { ownLoaders } from './context.js';
import * as features from './features/index.js';

// What the development IDE opens with: a product page, as the web app asks for it.
const IDE_QUERY = `# bff-web. Run: the ▶ button. Every field: Docs (top left).
# Signed in (dashboard): in Headers, paste \`npm run -s token -- 1\`.
# Degraded: add "x-chaos": "recommendations=down" to Headers.
query ProductPage {
  productPage(upc: "1") {
    product { upc name price { amount source } averageRating }
    related { name }
  }
}
`;

/** bff-web is its features and its own loaders; the rest comes from @edgeway/bff-kit. */
export const bff = {
  name: 'bff-web',
  version: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
    .version,
  port: 4001,
  features: Object.values(features),
  ownLoaders,
  ideQuery: IDE_QUERY,
};

/** bff-web's HTTP server from config and deps (tests pass fake upstreams). Never listens. */
export const buildApp = (config: Pick<BffConfig, 'NODE_ENV'>, deps: BffDeps) => buildBffApp(bff, config, deps);
