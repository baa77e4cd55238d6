import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../auth/apiKeys.js';
import { ConfigError, edgeEnv, loadConfig } from './index.js';
import { apiKeysEnv, defaultEdgeSecurity, internalEnv } from './security.js';

describe('edge security configuration', () => {
  it('defaults to limits that let normal traffic through', () => {
    expect(defaultEdgeSecurity()).toEqual({
      RATE_LIMIT_MAX: 600,
      RATE_LIMIT_WINDOW_S: 60,
      RATE_LIMIT_ANONYMOUS_MAX: 120,
      RATE_LIMIT_ENABLED: true,
      BODY_LIMIT_BYTES: 1_048_576,
      CORS_ORIGINS: [],
      TRUST_PROXY: false,
      MAX_DEPTH: 10,
      MAX_ALIASES: 15,
      MAX_TOKENS: 1000,
      MAX_DIRECTIVES: 50,
      MAX_COST: 5000,
      MAX_COST_API_KEY: 1_000_000,
      MAX_RESPONSE_BYTES: 2_097_152,
      SHED_MAX_EVENT_LOOP_DELAY_MS: 200,
      SHED_SAMPLE_INTERVAL_MS: 500,
      SHED_RETRY_AFTER_S: 2,
      CONCURRENCY_LIMIT: 'auto',
      CONCURRENCY_QUEUE_MAX: 1000,
      CONCURRENCY_QUEUE_TIMEOUT_MS: 5000,
      REQUEST_TIMEOUT_MS: 30_000,
      HEADERS_TIMEOUT_MS: 10_000,
      JWT_MAX_LIFETIME_S: 86_400,
      JWT_CLOCK_SKEW_S: 30,
      METRICS_CLIENT_NAMES: ['bff-web', 'bff-mobile'],
    });
  });

  it('reads the concurrency limit as auto, off or a positive number, and refuses anything else', () => {
    const limit = (CONCURRENCY_LIMIT: string) => loadConfig(edgeEnv, { CONCURRENCY_LIMIT }).CONCURRENCY_LIMIT;
    expect(limit('auto')).toBe('auto');
    expect(limit('off')).toBe('off');
    expect(limit('12')).toBe(12);
    for (const bad of ['0', '-1', '1.5', 'many']) expect(() => limit(bad)).toThrow(/CONCURRENCY_LIMIT/);
  });

  it('reads the trusted proxies as none, a hop count, or addresses and ranges; never "every proxy"', () => {
    const trusted = (TRUST_PROXY: string) => loadConfig(edgeEnv, { TRUST_PROXY }).TRUST_PROXY;
    expect(trusted('')).toBe(false);
    expect(trusted('false')).toBe(false);
    expect(trusted('2')).toBe(2);
    expect(trusted('10.0.0.0/8, 127.0.0.1, ::1')).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
    expect(() => trusted('true')).toThrow(ConfigError);
    expect(() => trusted('10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
    expect(() => trusted('proxy.internal')).toThrow(ConfigError);
  });

  it('reads every setting from the environment', () => {
    const config = loadConfig(
      { ...edgeEnv, ...apiKeysEnv, ...internalEnv },
      {
        RATE_LIMIT_MAX: '50',
        RATE_LIMIT_ENABLED: 'false',
        CORS_ORIGINS: 'https://app.example, http://localhost:3000',
        MAX_DEPTH: '7',
        API_KEYS: `partner:${sha256Hex('k'.repeat(20))}:9`,
        INTERNAL_SIGNING_KEY: 's'.repeat(32),
      },
    );
    expect(config).toMatchObject({
      RATE_LIMIT_MAX: 50,
      RATE_LIMIT_ENABLED: false,
      CORS_ORIGINS: ['https://app.example', 'http://localhost:3000'],
      MAX_DEPTH: 7,
      API_KEYS: [{ name: 'partner', max: 9 }],
    });
  });

  it('names every bad value at once', () => {
    const error = (() => {
      try {
        loadConfig(
          { ...edgeEnv, ...apiKeysEnv, ...internalEnv },
          {
            RATE_LIMIT_MAX: '0',
            CORS_ORIGINS: 'https://app.example/path',
            MAX_COST: 'lots',
            API_KEYS: 'partner:not-a-hash',
            INTERNAL_SIGNING_KEY: 'short',
          },
        );
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
      'RATE_LIMIT_MAX',
      'CORS_ORIGINS.0',
      'MAX_COST',
      'API_KEYS',
      'INTERNAL_SIGNING_KEY',
    ]);
  });
});
