import { randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

export const SIGNING_ALG = 'ES256';
const KEY_FILE = 'signing-key.json';

/** The key tokens are signed with, and its public half as the JWKS serves it. */
export interface SigningKey {
  kid: string;
  alg: typeof SIGNING_ALG;
  privateKey: CryptoKey;
  /** Public JWK with `kid`, `alg` and `use: 'sig'`. */
  publicJwk: JWK;
}

interface StoredKey {
  kid: string;
  alg: typeof SIGNING_ALG;
  privateJwk: JWK;
}

/** The monorepo's root folder. */
export function repoRoot(): string {
  return fileURLToPath(new URL('../../../', import.meta.url));
}

/** `<repo root>/.keys/identity`, git-ignored, so development tokens survive restarts. */
export function defaultKeysDir(): string {
  return join(repoRoot(), '.keys', 'identity');
}

function publicPart(jwk: JWK): JWK {
  const { d: _d, key_ops: _ops, ext: _ext, ...pub } = jwk;
  return pub;
}

async function fromStored(stored: StoredKey): Promise<SigningKey> {
  const privateKey = (await importJWK(stored.privateJwk, stored.alg)) as CryptoKey;
  const publicJwk = { ...publicPart(stored.privateJwk), kid: stored.kid, alg: stored.alg, use: 'sig' };
  return { kid: stored.kid, alg: stored.alg, privateKey, publicJwk };
}

async function readStored(file: string): Promise<StoredKey | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const stored = JSON.parse(text) as Partial<StoredKey>;
  if (stored.alg !== SIGNING_ALG || typeof stored.kid !== 'string' || typeof stored.privateJwk?.d !== 'string') {
    throw new Error(`${file} is not an ${SIGNING_ALG} signing key; delete it to generate a new one`);
  }
  return stored as StoredKey;
}

async function generate(): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  return { kid: await calculateJwkThumbprint(publicPart(privateJwk)), alg: SIGNING_ALG, privateJwk };
}

/**
 * Loads the signing key kept in `dir`, creating it (mode 0600, folder 0700) on first use. The
 * service and the token CLI may both get here first: the key is written to a private temp file
 * and hard-linked into place, which fails if the other won, so both end up with the same key.
 */
export async function loadOrCreateSigningKey(dir: string): Promise<SigningKey> {
  const file = join(dir, KEY_FILE);
  const existing = await readStored(file);
  if (existing) return fromStored(existing);

  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stored = await generate();
  const temp = join(dir, `.${KEY_FILE}.${randomUUID()}`);
  await writeFile(temp, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  // The umask may have narrowed more than asked, never less; make the mode exact.
  await chmod(temp, 0o600);
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temp);
  }
  const winner = await readStored(file);
  if (!winner) throw new Error(`${file} vanished while it was being created`);
  return fromStored(winner);
}
