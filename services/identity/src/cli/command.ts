import { parseArgs } from 'node:util';
import { ConfigError, commonEnv, loadConfig } from '@edgeway/platform';
import { assertDevelopmentOnly, identityEnv } from '../config.js';
import { loadOrCreateSigningKey } from '../keys.js';
import { createMinter } from '../mint.js';

export const USAGE = 'usage: npm run -s token -- [sub] [--scope "a b"] [--expires-in seconds]   (sub defaults to 1)';

/**
 * `npm run token -- 1`: a token for a seed user, signed with the same key folder as the service,
 * so it works whether or not the service runs (and creates the key if neither ran yet).
 */
export async function tokenCommand(argv: string[], env: Record<string, string | undefined>): Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { scope: { type: 'string' }, 'expires-in': { type: 'string' } },
  });
  if (positionals.length > 1) throw new ConfigError([`expected at most one user id, got ${positionals.join(' ')}`]);
  const expiresIn = values['expires-in'] === undefined ? undefined : Number(values['expires-in']);
  const config = loadConfig({ NODE_ENV: commonEnv(0).NODE_ENV, ...identityEnv }, env);
  assertDevelopmentOnly(config);
  const key = await loadOrCreateSigningKey(config.IDENTITY_KEYS_DIR);
  const mint = createMinter({ key, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  const { access_token } = await mint({ sub: positionals[0] ?? '1', scope: values.scope, expiresIn });
  return access_token;
}
