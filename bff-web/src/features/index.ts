// The BFF's features, one line each; the schema is their union.
export { catalogFeature } from './catalog/catalog.js';
export { commonFeature } from './common/common.js';
export { dashboardFeature } from './dashboard/dashboard.js';
export { productPageFeature } from './productPage/productPage.js';
