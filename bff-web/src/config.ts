import { commonEnv, edgeEnv, envTypes, type loadConfig } from '@edgeway/platform';

/** Everything bff-web reads from the environment (SPEC section 2). */
export const configShape = {
  ...commonEnv(4001),
  ...edgeEnv,
  GATEWAY_URL: envTypes.url.default('http://127.0.0.1:4000/graphql'),
  PRICING_URL: envTypes.url.default('http://127.0.0.1:4201'),
  RECOMMENDATIONS_URL: envTypes.url.default('http://127.0.0.1:4202'),
};

export type BffConfig = ReturnType<typeof loadConfig<typeof configShape>>;
