import { ConfigError } from '@edgeway/platform';
import { describe, expect, it } from 'vitest';
import { loadIdentityConfig } from './config.js';
import { defaultKeysDir } from './keys.js';

describe('loadIdentityConfig', () => {
  it('has development defaults', () => {
    expect(loadIdentityConfig({})).toMatchObject({
      PORT: 4300,
      HOST: '127.0.0.1',
      JWT_ISSUER: 'http://127.0.0.1:4300',
      JWT_AUDIENCE: 'edgeway',
      IDENTITY_KEYS_DIR: defaultKeysDir(),
      IDENTITY_ALLOW_PRODUCTION: false,
    });
  });

  it('takes a relative key folder from the repo root and keeps an absolute one', () => {
    expect(loadIdentityConfig({ IDENTITY_KEYS_DIR: '.keys/identity' }).IDENTITY_KEYS_DIR).toBe(defaultKeysDir());
    expect(loadIdentityConfig({ IDENTITY_KEYS_DIR: '/tmp/k' }).IDENTITY_KEYS_DIR).toBe('/tmp/k');
  });

  it('refuses production with a message that says why and how to override', () => {
    expect(() => loadIdentityConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadIdentityConfig({ NODE_ENV: 'production' })).toThrow(
      /development stand-in.*IDENTITY_ALLOW_PRODUCTION=true/s,
    );
  });

  it('runs in production when explicitly allowed', () => {
    expect(loadIdentityConfig({ NODE_ENV: 'production', IDENTITY_ALLOW_PRODUCTION: 'true' }).NODE_ENV).toBe(
      'production',
    );
  });

  it('reports a bad override value', () => {
    expect(() => loadIdentityConfig({ IDENTITY_ALLOW_PRODUCTION: 'maybe' })).toThrow(/IDENTITY_ALLOW_PRODUCTION/);
  });
});
