import { commonEnv, edgeEnv, envTypes, type loadConfig, propagateHeadersEnv, z } from '@edgeway/platform';

/** Everything a BFF reads from the environment (docs/contract.md §2); only the default PORT differs. */
export function bffConfigShape(port: number) {
  return {
    ...commonEnv(port),
    ...edgeEnv,
    GATEWAY_URL: envTypes.url.default('http://127.0.0.1:4000/graphql'),
    PRICING_URL: envTypes.url.default('http://127.0.0.1:4201'),
    RECOMMENDATIONS_URL: envTypes.url.default('http://127.0.0.1:4202'),
    /** Sent to the gateway as `x-api-key`, so the BFF's anonymous traffic has its own budget there. */
    GATEWAY_API_KEY: z.string().min(16).max(256).optional(),
    /**
     * Client headers passed on to the gateway and the REST services (comma list of names, e.g.
     * `accept-language,x-tenant-id`); never hop-by-hop ones. @default none
     */
    PROPAGATE_HEADERS: propagateHeadersEnv,
    /** Only the persisted operations of the BFF's manifest run. @default true in production (bff-mobile) */
    PERSISTED_ONLY: envTypes.bool.optional(),
  };
}

export type BffConfig = ReturnType<typeof loadConfig<ReturnType<typeof bffConfigShape>>>;
