import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCAFFOLDER = fileURLToPath(new URL('./new-feature.ts', import.meta.url));
const ROOT_FILES = [
  'codegen.ts',
  'tsconfig.base.json',
  'vitest.config.ts',
  '.prettierrc.json',
  'gateway/api-schema.graphql',
];

// The scaffolder runs in a copy of the root config and bff-mobile, so the real tree never sees a
// half-made feature; the copy's node_modules is the real one (the kit and platform it imports).
let copy: string;
let bff: string;
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'edgeway-new-feature-'));
  bff = join(copy, 'bff-mobile');
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  for (const file of ROOT_FILES) cpSync(join(ROOT, file), join(copy, file));
  cpSync(join(ROOT, 'bff-mobile'), bff, { recursive: true, filter: (path) => !path.includes('node_modules') });
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

// A child vitest must not think it runs inside this one.
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: 180_000 });
}
const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);
const scaffold = (name: string) =>
  run(process.execPath, ['--conditions=edgeway-source', '--import', 'tsx', SCAFFOLDER, name], bff);
const testFeature = () =>
  run(bin('vitest'), ['run', '--project', 'unit', 'bff-mobile/src/features/wishlist', '--reporter', 'dot'], copy);
const output = (result: SpawnSyncReturns<string>) => `${result.stdout}\n${result.stderr}`;

// Each step is a child process (codegen, tsc, vitest): minutes, not the unit default.
describe('npm run new:feature', { timeout: 180_000 }, () => {
  it('scaffolds a registered feature whose types are generated, and which compiles', () => {
    const created = scaffold('wishlist');
    expect(created.status, output(created)).toBe(0);
    expect(created.stdout).toContain('Created bff-mobile/src/features/wishlist/');

    expect(readFileSync(join(bff, 'src/features/index.ts'), 'utf8')).toContain(
      "export { wishlistFeature } from './wishlist/wishlist.js';",
    );
    expect(readFileSync(join(bff, 'src/__generated__/gateway.ts'), 'utf8')).toContain('MobileWishlistDocument');
    const resolverTypes = readFileSync(join(bff, 'src/__generated__/resolvers.ts'), 'utf8');
    expect(resolverTypes).toContain('WishlistItemResolvers');
    expect(resolverTypes).toMatch(
      /import type \{[^}]*WishlistItemModel[^}]*\} from '\.\.\/features\/wishlist\/wishlist\.js'/,
    );

    const tsc = run(bin('tsc'), ['--noEmit', '-p', 'bff-mobile', '--tsBuildInfoFile', join(copy, 'tsbuildinfo')], copy);
    expect(tsc.status, output(tsc)).toBe(0);
    const prettier = run(bin('prettier'), ['--check', 'bff-mobile/src/features'], copy);
    expect(prettier.status, output(prettier)).toBe(0);
  });

  it('refuses a second run, changing nothing', () => {
    const before = readFileSync(join(bff, 'src/features/wishlist/wishlist.ts'), 'utf8');
    const again = scaffold('wishlist');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('src/features/wishlist already exists: not overwriting it');
    expect(readFileSync(join(bff, 'src/features/wishlist/wishlist.ts'), 'utf8')).toBe(before);
    expect(readFileSync(join(bff, 'src/features/index.ts'), 'utf8').match(/wishlistFeature/g)).toHaveLength(1);
  });

  it('refuses names that are not camelCase or that the BFF already declares', () => {
    expect(scaffold('Wish-list').stderr).toContain('is not a camelCase name');
    expect(scaffold('home').stderr).toContain('already exists');
    expect(scaffold('product').stderr).toContain('already exists');
  });

  it('writes a test that passes as created and fails once the SDL gains a field without a resolver', () => {
    const passing = testFeature();
    expect(passing.status, output(passing)).toBe(0);

    const sdl = join(bff, 'src/features/wishlist/wishlist.graphql');
    writeFileSync(sdl, readFileSync(sdl, 'utf8').replace('upc: ID!', 'upc: ID!\n  color: String'));
    const failing = testFeature();
    expect(failing.status).not.toBe(0);
    expect(output(failing)).toContain('WishlistItem.color');
  });
});
