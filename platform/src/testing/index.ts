export { contractViolations } from './conformance.js';
export {
  createFakeGraphQLClient,
  type FakeGraphQLClient,
  type FakeGraphQLClientOptions,
  type RecordedGraphQLCall,
} from './graphql.js';
export { createTestIssuer, type TestIssuer } from './tokens.js';
export { createTestCredentials, TEST_SIGNING_KEY } from './credentials.js';
export { parseRawAnswer, type RawAnswer, rawRequest, type RawRequestOptions } from './rawHttp.js';
export { capturedLogger } from './logs.js';
export { recordSpans, REMOTE_SPAN_ID, REMOTE_TRACE_ID, remoteParent, underParent } from './spans.js';
