import { createInternalSigner, createInternalVerifier, INTERNAL_CREDENTIAL_HEADER } from '../auth/identity.js';

/** The shared secret of tests' gateways and subgraphs. */
export const TEST_SIGNING_KEY = 'edgeway-test-internal-signing-key-0123456789';

/**
 * Both ends of the gateway-to-subgraph credential for a subgraph test: the verifier to build the
 * subgraph with, and the headers the gateway would send with `payload` (the JSON body, as an
 * object inject serializes, or its text) for a user (or, without one, anonymous).
 */
export function createTestCredentials(audience: string) {
  const sign = createInternalSigner({ secret: TEST_SIGNING_KEY });
  return {
    verifier: createInternalVerifier({ secret: TEST_SIGNING_KEY, audience }),
    headers: async (payload: object | string, userId?: string): Promise<Record<string, string>> => ({
      [INTERNAL_CREDENTIAL_HEADER]: sign(
        audience,
        userId,
        typeof payload === 'string' ? payload : JSON.stringify(payload),
      ),
    }),
  };
}
