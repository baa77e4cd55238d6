import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stamp, upToDate } from './build.js';

// A one-workspace repository laid out as the real one: tsc's build info names the sources it
// compiled, and a build stamp says when the last successful build began.
let root: string;
const workspace = () => join(root, 'svc');
const past = new Date(Date.now() - 60_000);
const later = () => new Date(Date.now() + 60_000);

function write(path: string, text = '', at = past) {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  utimesSync(path, at, at);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'edgeway-build-'));
  write(
    join(root, 'tsconfig.build.json'),
    JSON.stringify({ files: [], references: [{ path: './svc/tsconfig.build.json' }] }),
  );
  write(join(root, 'package-lock.json'), '{}');
  write(join(workspace(), 'tsconfig.build.json'), JSON.stringify({ exclude: ['src/**/*.test.ts', 'src/testing'] }));
  write(join(workspace(), 'package.json'), '{}');
  for (const file of ['main.ts', 'lib/util.ts', 'main.test.ts', 'testing/helpers.ts', 'schema.graphql']) {
    write(join(workspace(), 'src', file));
  }
  // Root ids count from 1; a pair is a range.
  const fileNames = ['../../node_modules/x.d.ts', '../src/lib/util.ts', '../src/main.ts'];
  write(join(workspace(), 'dist/.tsbuildinfo'), JSON.stringify({ fileNames, root: [[2, 3]] }));
  stamp([workspace()], new Date());
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('upToDate (npm start skips the build)', () => {
  it('holds after a build, and when only tests or test helpers changed since', () => {
    expect(upToDate(root)).toBe(true);
    write(join(workspace(), 'src/main.test.ts'), 'changed', later());
    write(join(workspace(), 'src/testing/helpers.ts'), 'changed', later());
    expect(upToDate(root)).toBe(true);
  });

  it.each([
    ['a source changed', () => write(join(workspace(), 'src/lib/util.ts'), 'changed', later())],
    ['an asset changed', () => write(join(workspace(), 'src/schema.graphql'), 'changed', later())],
    ['a source was added, even with an old date', () => write(join(workspace(), 'src/new.ts'))],
    ['a source was deleted', () => rmSync(join(workspace(), 'src/lib/util.ts'))],
    ['the workspace settings changed', () => write(join(workspace(), 'tsconfig.build.json'), '{}', later())],
    ['packages were installed', () => write(join(root, 'node_modules/.package-lock.json'), '{}', later())],
    ['it was never built', () => rmSync(join(workspace(), 'dist/.built'))],
    ['tsc left build info of another shape', () => write(join(workspace(), 'dist/.tsbuildinfo'), '{"program":{}}')],
  ])('fails when %s', (_, change) => {
    change();
    expect(upToDate(root)).toBe(false);
  });
});
