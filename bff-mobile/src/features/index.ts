// The BFF's features, one line each; the schema is their union.
export { commonFeature } from './common/common.js';
export { homeFeature } from './home/home.js';
export { productFeature } from './product/product.js';
export { orderDetailFeature } from './orderDetail/orderDetail.js';
