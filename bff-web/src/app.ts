import { type BffConfig, type BffDeps, buildBffApp } from '@edgeway/bff-kit';
import { ownLoaders } from './context.js';
import * as features from './features/index.js';

/** bff-web is its features and its own loaders; the rest comes from @edgeway/bff-kit. */
export const bff = { name: 'bff-web', port: 4001, features: Object.values(features), ownLoaders };

/** bff-web's HTTP server from config and deps (tests pass fake upstreams). Never listens. */
export const buildApp = (config: Pick<BffConfig, 'NODE_ENV'>, deps: BffDeps) => buildBffApp(bff, config, deps);
