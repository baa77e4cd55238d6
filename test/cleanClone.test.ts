import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * What a user's clone holds, alone in an empty folder: nothing beside it, so anything that reads
 * outside the repository fails here. The files are the repository's (tracked and new, as a
 * commit would take them); node_modules are hard-linked from this checkout rather than installed
 * again.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const parent = mkdtempSync(join(tmpdir(), 'edgeway-clone-'));
const clone = join(parent, 'edgeway');

afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** Every workspace's node_modules (and the root's), as npm laid them out here. */
function nodeModulesDirs(): string[] {
  const dirs = ['node_modules'];
  for (const top of readdirSync(ROOT, { withFileTypes: true })) {
    if (!top.isDirectory() || top.name.startsWith('.') || top.name === 'node_modules') continue;
    for (const candidate of [join(top.name, 'node_modules'), ...subfolders(top.name)]) {
      if (existsSync(join(ROOT, candidate))) dirs.push(candidate);
    }
  }
  return dirs;
}

const subfolders = (folder: string) =>
  readdirSync(join(ROOT, folder), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
    .map((entry) => join(folder, entry.name, 'node_modules'));

/** This process's environment without what the running vitest set for its own workers. */
const outsideVitest = () =>
  Object.fromEntries([
    ...Object.entries(process.env).filter(([name]) => !/^(VITEST|CI$|FORCE_COLOR$)/.test(name)),
    ['NO_COLOR', '1'],
  ]);

describe('a clone with nothing beside it', () => {
  it('passes the BFF unit tests, which read the client contracts', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((file) => file && existsSync(join(ROOT, file)));
    for (const file of files) {
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      cpSync(join(ROOT, file), join(clone, file));
    }
    for (const dir of nodeModulesDirs()) {
      execFileSync('cp', ['-al', join(ROOT, dir), join(clone, dir)]);
    }
    expect(existsSync(join(clone, '..', 'shared'))).toBe(false);

    const run = spawnSync(
      process.execPath,
      [join(clone, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'unit', 'bff-kit', 'bff-mobile', 'bff-web'],
      { cwd: clone, encoding: 'utf8', env: outsideVitest(), timeout: 300_000 },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`.slice(-4000)).toBe(0);
    expect(run.stdout).toMatch(/Test Files\s+\d+ passed/);
  }, 360_000);
});
