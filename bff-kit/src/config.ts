import { commonEnv, edgeEnv, envTypes, type loadConfig } from '@edgeway/platform';

/** Everything a BFF reads from the environment (SPEC section 2); only the default PORT differs. */
export function bffConfigShape(port: number) {
  return {
    ...commonEnv(port),
    ...edgeEnv,
    GATEWAY_URL: envTypes.url.default('http://127.0.0.1:4000/graphql'),
    PRICING_URL: envTypes.url.default('http://127.0.0.1:4201'),
    RECOMMENDATIONS_URL: envTypes.url.default('http://127.0.0.1:4202'),
  };
}

export type BffConfig = ReturnType<typeof loadConfig<ReturnType<typeof bffConfigShape>>>;
