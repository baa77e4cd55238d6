export { createTestIssuer, type TestIssuer } from './tokens.js';
