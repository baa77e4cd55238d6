import { resolve } from 'node:path';
import { ConfigError, commonEnv, envTypes, loadConfig, z } from '@edgeway/platform';
import { defaultKeysDir, repoRoot } from './keys.js';

/** What the identity service and the token CLI read, beyond the common variables. */
export const identityEnv = {
  JWT_ISSUER: z.string().min(1).default('http://127.0.0.1:4300'),
  JWT_AUDIENCE: z.string().min(1).default('edgeway'),
  /**
   * Where the signing key lives; a relative path is taken from the repo root, because the service
   * runs in its workspace folder and the token CLI in the root, and both must find the same key.
   * @default <repo root>/.keys/identity
   */
  IDENTITY_KEYS_DIR: z
    .string()
    .min(1)
    .default(defaultKeysDir())
    .transform((dir) => resolve(repoRoot(), dir)),
  /** Lets the development stand-in run with NODE_ENV=production anyway. @default false */
  IDENTITY_ALLOW_PRODUCTION: envTypes.bool.default(false),
};

/** Identity mints a token for anyone who asks, so it refuses production unless explicitly told. */
export function assertDevelopmentOnly(config: { NODE_ENV: string; IDENTITY_ALLOW_PRODUCTION: boolean }): void {
  if (config.NODE_ENV === 'production' && !config.IDENTITY_ALLOW_PRODUCTION) {
    throw new ConfigError([
      'NODE_ENV=production: the identity service is a development stand-in that mints a token for anyone ' +
        'who asks; point JWKS_URL at the real identity provider instead (set IDENTITY_ALLOW_PRODUCTION=true ' +
        'to run it anyway)',
    ]);
  }
}

export function loadIdentityConfig(env: Record<string, string | undefined>) {
  const config = loadConfig({ ...commonEnv(4300), ...identityEnv }, env);
  assertDevelopmentOnly(config);
  return config;
}

export type IdentityConfig = ReturnType<typeof loadIdentityConfig>;
