export { createFakeUpstreams, type Dependency, type FakeOptions, PICKS } from './fakes.js';
export { type GraphQLBody, type Harness, harnessPerTest, REPO_ROOT, startHarness } from './harness.js';
export { describeBffEdge } from './suite.js';
export { unresolvedFields } from './coverage.js';
