import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultKeysDir, loadOrCreateSigningKey } from './keys.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'identity-keys-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('loadOrCreateSigningKey', () => {
  it('creates the folder and a key file readable by the owner only', async () => {
    const dir = join(root, 'nested', 'identity');
    const key = await loadOrCreateSigningKey(dir);
    expect(key.alg).toBe('ES256');
    expect(await readdir(dir)).toEqual(['signing-key.json']);
    expect((await stat(join(dir, 'signing-key.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('loads the same key on a later start', async () => {
    const first = await loadOrCreateSigningKey(root);
    const second = await loadOrCreateSigningKey(root);
    expect(second.kid).toBe(first.kid);
    expect(second.publicJwk).toEqual(first.publicJwk);
  });

  it('gives concurrent starters the same key', async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSigningKey(root)));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    expect(await readdir(root)).toEqual(['signing-key.json']);
  });

  it('refuses a key file that is not an ES256 key, naming it', async () => {
    await writeFile(join(root, 'signing-key.json'), '{"alg":"HS256"}');
    await expect(loadOrCreateSigningKey(root)).rejects.toThrow(/signing-key\.json.*delete it/);
  });

  it('defaults to <repo root>/.keys/identity', () => {
    expect(defaultKeysDir()).toBe(join(import.meta.dirname, '..', '..', '..', '.keys', 'identity'));
  });
});
