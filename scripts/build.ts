import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ASSET = /\.graphql$/;
/** Written into each dist/ when a build succeeds (tsc leaves its own files alone when nothing changed). */
const STAMP = 'dist/.built';

function workspaces(root = ROOT): string[] {
  const config = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as {
    references: { path: string }[];
  };
  return config.references.map(({ path }) => join(root, dirname(path)));
}

function mtime(path: string): number {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

/** A tsconfig `exclude` entry (`**` any folders, `*` part of a name; a folder excludes what is in it) as a test on paths relative to the workspace. */
function globTest(glob: string): RegExp {
  const body = glob
    .split('**/')
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('(?:.*/)?');
  return new RegExp(`^${body}(?:/.*)?$`);
}

/** One workspace's dist/ is newer than its sources, assets and settings, and built from exactly the sources there are. */
function workspaceUpToDate(workspace: string, shared: number): boolean {
  const info = join(workspace, 'dist/.tsbuildinfo');
  const built = mtime(join(workspace, STAMP));
  if (built === 0 || built < shared) return false;
  if (Math.max(mtime(join(workspace, 'tsconfig.build.json')), mtime(join(workspace, 'package.json'))) >= built)
    return false;
  const config = JSON.parse(readFileSync(join(workspace, 'tsconfig.build.json'), 'utf8')) as { exclude?: string[] };
  const excluded = (config.exclude ?? []).map(globTest);
  // The sources tsc compiled last time (tsbuildinfo's root files, ids counted from 1, ranges as pairs).
  let compiled: Set<string>;
  try {
    const { root, fileNames } = JSON.parse(readFileSync(info, 'utf8')) as {
      root: (number | [number, number])[];
      fileNames: string[];
    };
    compiled = new Set(
      root
        .flatMap((id) => (Array.isArray(id) ? Array.from({ length: id[1] - id[0] + 1 }, (_, i) => id[0] + i) : [id]))
        .map((id) => join(workspace, 'dist', fileNames[id - 1] ?? '')),
    );
  } catch {
    return false; // a tsbuildinfo of another shape: let tsc decide
  }
  const sources = readdirSync(join(workspace, 'src'), { recursive: true, encoding: 'utf8' })
    .map((file) => `src/${file}`)
    .filter((file) => (/\.tsx?$/.test(file) || ASSET.test(file)) && !excluded.some((test) => test.test(file)));
  const typescript = sources.filter((file) => !ASSET.test(file)).map((file) => join(workspace, file));
  return (
    typescript.length === compiled.size &&
    typescript.every((file) => compiled.has(file)) &&
    sources.every((file) => mtime(join(workspace, file)) < built)
  );
}

/**
 * Whether every workspace's dist/ is current: what `tsc -b` would find, plus the assets. Asking
 * tsc costs `npm start` a compiler load (most of a second of CPU) on every run, even when nothing
 * changed. Shared settings and the installed packages (npm rewrites its lock files on every
 * install) count for every workspace.
 */
export function upToDate(root = ROOT): boolean {
  const shared = Math.max(
    ...['tsconfig.base.json', 'tsconfig.build-base.json', 'tsconfig.build.json', 'package-lock.json'].map((f) =>
      mtime(join(root, f)),
    ),
    mtime(join(root, 'node_modules/.package-lock.json')),
  );
  return workspaces(root).every((workspace) => workspaceUpToDate(workspace, shared));
}

/**
 * `npm run build` (and `npm start`, first, unless `upToDate()`): compiles every deployable
 * workspace to its dist/ (tsconfig.build.json; incremental, about 2 s when nothing changed), then
 * copies what tsc does not: the SDL files that sit beside the modules reading them at run time.
 * Throws on type errors.
 */
export function build(): void {
  // Stamped with when the build began, so a file saved while tsc ran counts as newer.
  const started = new Date();
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  for (const workspace of workspaces()) {
    const src = join(workspace, 'src');
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
      if (ASSET.test(file)) cpSync(join(src, file), join(workspace, 'dist', file));
    }
  }
  stamp(workspaces(), started);
}

/** Marks each workspace's dist/ as built from what was there at `started`. */
export function stamp(built: readonly string[], started: Date): void {
  for (const workspace of built) {
    writeFileSync(join(workspace, STAMP), '');
    utimesSync(join(workspace, STAMP), started, started);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    build();
  } catch {
    process.exit(1); // tsc has printed why
  }
}
