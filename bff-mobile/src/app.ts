import { readFileSync } from 'node:fs';
import { type BffConfig, type BffDeps, buildBffApp } from '@edgeway/bff-kit';
import type { PersistedQueryManifest } from '@edgeway/platform';
import { ownLoaders } from './context.js';
import * as features from './features/index.js';

// What the development IDE opens with: the home screen, as the app asks for it.
const IDE_QUERY = `# bff-mobile. Run: the ▶ button. Every field: Docs (top left).
# Signed in: in Headers, paste \`npm run -s token -- 1\`.
# Degraded: add "x-chaos": "recommendations=down" to Headers.
query Home {
  home(first: 3) {
    viewer { name openOrderCount }
    topProducts { upc name price { amount source } rating }
    recommended { name price { amount source } }
  }
}
`;

/** The app's operations (`operations/*.graphql`, `npm run persisted -w bff-mobile`), served by id. */
const persistedOperations = JSON.parse(
  readFileSync(new URL('../persisted-operations.json', import.meta.url), 'utf8'),
) as PersistedQueryManifest;

/** bff-mobile is its features and its own loaders; the rest comes from @edgeway/bff-kit. */
export const bff = {
  name: 'bff-mobile',
  version: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
    .version,
  port: 4002,
  features: Object.values(features),
  ownLoaders,
  ideQuery: IDE_QUERY,
  persistedOperations,
};

/** bff-mobile's HTTP server from config and deps (tests pass fake upstreams). Never listens. */
export const buildApp = (config: Pick<BffConfig, 'NODE_ENV'> & Partial<BffConfig>, deps: BffDeps) =>
  buildBffApp(bff, config, deps);
