import { type BffConfig, type BffDeps, buildBffApp } from '@edgeway/bff-kit';
import { ownLoaders } from './context.js';
import * as features from './features/index.js';

// What the development IDE opens with: the home screen, as the app asks for it.
const IDE_QUERY = `# bff-mobile: the app's screens (Docs button: every field). Run with ▶ (Ctrl-Enter).
# Sign in: in Headers, replace <paste: ...> with the output of \`npm run -s token -- 1\`.
# See the screen degrade: add "x-chaos": "recommendations=down" to Headers.
query Home {
  home(first: 3) {
    viewer { name openOrderCount }
    topProducts { upc name price { amount currency source } rating }
    recommended { name price { amount source } }
  }
}
`;

/** bff-mobile is its features and its own loaders; the rest comes from @edgeway/bff-kit. */
export const bff = {
  name: 'bff-mobile',
  port: 4002,
  features: Object.values(features),
  ownLoaders,
  ideQuery: IDE_QUERY,
};

/** bff-mobile's HTTP server from config and deps (tests pass fake upstreams). Never listens. */
export const buildApp = (config: Pick<BffConfig, 'NODE_ENV'>, deps: BffDeps) => buildBffApp(bff, config, deps);
