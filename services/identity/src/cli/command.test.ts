import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTokenVerifier } from '@edgeway/platform';
import { createLocalJWKSet } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey } from '../keys.js';
import { tokenCommand } from './command.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'identity-cli-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function verifierFor(keysDir: string, issuer = 'http://127.0.0.1:4300', audience = 'edgeway') {
  const key = await loadOrCreateSigningKey(keysDir);
  return createTokenVerifier({ issuer, audience, keys: createLocalJWKSet({ keys: [key.publicJwk] }) });
}

describe('tokenCommand', () => {
  it('creates the key when missing and mints a token for user 1 that the service key verifies', async () => {
    const token = await tokenCommand(['1'], { IDENTITY_KEYS_DIR: dir });
    const principal = await (await verifierFor(dir))(`Bearer ${token}`);
    expect(principal).toMatchObject({ sub: '1', scopes: [] });
  });

  it('defaults to user 1 and honours issuer, audience, scope and lifetime', async () => {
    const env = { IDENTITY_KEYS_DIR: dir, JWT_ISSUER: 'https://id.test', JWT_AUDIENCE: 'web' };
    const token = await tokenCommand(['--scope', 'a b', '--expires-in', '120'], env);
    expect(await (await verifierFor(dir, 'https://id.test', 'web'))(`Bearer ${token}`)).toMatchObject({
      sub: '1',
      scopes: ['a', 'b'],
    });
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(120);
  });

  it('refuses unknown users, bad lifetimes and production', async () => {
    await expect(tokenCommand(['42'], { IDENTITY_KEYS_DIR: dir })).rejects.toThrow(/Unknown user "42"/);
    await expect(tokenCommand(['1', '--expires-in', 'soon'], { IDENTITY_KEYS_DIR: dir })).rejects.toThrow(/expiresIn/);
    await expect(tokenCommand(['1'], { IDENTITY_KEYS_DIR: dir, NODE_ENV: 'production' })).rejects.toThrow(
      /IDENTITY_ALLOW_PRODUCTION/,
    );
  });

  it('as a process prints only the token on stdout', async () => {
    const entry = join(import.meta.dirname, 'token.ts');
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--conditions=edgeway-source', '--import', 'tsx', entry, '2'],
      {
        env: { ...process.env, IDENTITY_KEYS_DIR: dir },
      },
    );
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect((await (await verifierFor(dir))(`Bearer ${stdout.trim()}`))?.sub).toBe('2');
  });
});
