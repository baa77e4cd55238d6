import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiKeysEnv } from '../config/security.js';
import { createLogger } from '../log/logger.js';
import { createHttpServer } from '../http/server.js';
import { createApiKeyVerifier, installApiKeys, parseApiKeys, sha256Hex } from './apiKeys.js';

const PARTNER_KEY = 'partner-key-0123456789abcdef';
const BFF_KEY = 'bff-key-0123456789abcdef';

describe('API keys', () => {
  it('parse from name:sha256hex[:max], one problem per bad entry, never echoing key material', () => {
    const spec = `partner:${sha256Hex(PARTNER_KEY)}:50, bff:${sha256Hex(BFF_KEY)}`;
    expect(parseApiKeys(spec)).toEqual({
      entries: [
        { name: 'partner', sha256: sha256Hex(PARTNER_KEY), max: 50 },
        { name: 'bff', sha256: sha256Hex(BFF_KEY), max: undefined },
      ],
      problems: [],
    });
    const bad = parseApiKeys(`x:${PARTNER_KEY}, y:${sha256Hex('a')}:0, y:${sha256Hex('b')}`);
    expect(bad.problems).toEqual([
      'entry 1 is not name:sha256hex[:max]',
      'entry 2 (y) has a budget of 0',
      'entry 3: y is named twice',
    ]);
    expect(bad.problems.join()).not.toContain(PARTNER_KEY);
    const parsed = z.object(apiKeysEnv).safeParse({ API_KEYS: 'nonsense' });
    expect(parsed.success).toBe(false);
  });

  it('resolve a known key to its client, refuse an unknown one, and ignore an absent one', () => {
    const verify = createApiKeyVerifier(parseApiKeys(`partner:${sha256Hex(PARTNER_KEY)}:50`).entries);
    expect(verify(PARTNER_KEY)).toEqual({ name: 'partner', max: 50 });
    expect(verify(undefined)).toBeUndefined();
    for (const bad of ['', 'nope', sha256Hex(PARTNER_KEY), ['a', 'b'], 'x'.repeat(300)]) {
      expect(() => verify(bad)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    }
  });

  it('answer a bad key with 401 before the body is read', async () => {
    const { app } = createHttpServer({
      logger: createLogger({ service: 't', level: 'silent' }),
      errorShape: 'graphql',
    });
    installApiKeys(app, parseApiKeys(`partner:${sha256Hex(PARTNER_KEY)}`).entries);
    app.post('/graphql', { config: { graphql: true } }, async (req) => ({ client: req.apiClient?.name ?? null }));
    const post = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...headers },
        payload: '{}',
      });
    expect((await post({ 'x-api-key': PARTNER_KEY })).json()).toEqual({ client: 'partner' });
    expect((await post({})).json()).toEqual({ client: null });
    const refused = await post({ 'x-api-key': 'guess' });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/ApiKey/);
    expect(refused.json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
    await app.close();
  });
});
