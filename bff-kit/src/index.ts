// What a BFF is built from: it brings its features and its own loaders, the kit the rest.
export { type Bff, type BffDeps, buildBffApp } from './app.js';
export type { BffConfig } from './config.js';
export type { BffContext, Forwarded, OwnLoaders, SharedCaches, SharedLoaders, Upstreams } from './context.js';
export { type Feature, sdlBeside } from './feature.js';
export { countGuess, type Guess, guessScreen, lastShown, type ScreenGuess } from './guess.js';
export { fieldOf, type FromGateway, fromModel, largest, optional, pathOf, required } from './fields.js';
// The page limits subgraphs and BFFs share, in one wording (from @edgeway/platform).
export { MAX_PAGE_SIZE, nonNegativeFirst, pageSize } from '@edgeway/platform';
export { asError, traceBatch } from './loaders/batch.js';
export {
  type CallOptions,
  GATEWAY,
  type GatewayAnswer,
  type GatewayErrors,
  type GatewayLoader,
  type Headers,
  withData,
} from './loaders/gateway.js';
export { loadProductsByUpc } from './loaders/products.js';
export { type GatewayProduct, productFields } from './product.js';
export { type Page, pageWithNext } from './pages.js';
export { runBff } from './run.js';
export { type CardShape, narrowerShapes, shapeKey, shapeOf, shapeVariables } from './shape.js';
export { type Loaded, type LoadedScreen, loadScreen, type ScreenPlan, servePicks } from './screen.js';
export { settle, throwIfPicksFailed, usablePicks } from './stale.js';
