import { spawn } from 'node:child_process';
import { type FSWatcher, watch } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FEATURES, modelExports } from './modelExports.js';

// `npm run codegen:watch`: regenerate types whenever a schema or an operation changes, or a
// feature module adds or drops a `<Type>Model` export (codegen maps the type to it).
// graphql-codegen's own --watch needs @parcel/watcher, a native module; Node's fs.watch
// (recursive on Linux since Node 20) needs nothing.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SUBGRAPHS = ['accounts', 'products', 'reviews', 'inventory', 'orders'];
/**
 * Folders whose files feed codegen.ts, relative to the root. Folders, not files: an editor that
 * saves by renaming would leave a watch on the old file.
 */
const WATCHED: Array<{ dir: string; recursive: boolean; files: RegExp }> = [
  { dir: 'bff-web/src/features', recursive: true, files: /\.graphql$/ },
  { dir: 'bff-mobile/src/features', recursive: true, files: /\.graphql$/ },
  ...SUBGRAPHS.map((name) => ({ dir: `subgraphs/${name}`, recursive: false, files: /^schema\.graphql$/ })),
  { dir: 'gateway', recursive: false, files: /^api-schema\.graphql$/ },
  { dir: '.', recursive: false, files: /^codegen\.ts$/ },
];
/** Editors save in bursts (write, rename, chmod): one run per burst. */
const QUIET_MS = 150;

let models = modelExports(ROOT);
let running = false;
let again = false;
let timer: NodeJS.Timeout | undefined;

function generate(): void {
  if (running) {
    again = true;
    return;
  }
  running = true;
  const started = Date.now();
  const child = spawn(`${ROOT}/node_modules/.bin/graphql-codegen`, ['--config', 'codegen.ts'], { cwd: ROOT });
  // Its progress lines are noise on success; on failure they carry the validation message.
  const output: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  child.on('exit', (code) => {
    running = false;
    const at = new Date().toLocaleTimeString();
    if (code === 0) console.log(`${at} types up to date (${Date.now() - started} ms)`);
    else console.log(`${Buffer.concat(output).toString()}\n${at} codegen failed: types NOT updated`);
    if (again) {
      again = false;
      generate();
    }
  });
}

function onChange(): void {
  clearTimeout(timer);
  timer = setTimeout(generate, QUIET_MS);
}

function onModuleChange(): void {
  const now = modelExports(ROOT);
  if (now === models) return;
  models = now;
  onChange();
}

const watchers: FSWatcher[] = [
  ...WATCHED.map(({ dir, recursive, files }) =>
    watch(`${ROOT}/${dir}`, { recursive }, (_event, file) => {
      if (file && files.test(file) && !file.includes('__generated__')) onChange();
    }),
  ),
  ...FEATURES.map((dir) =>
    watch(`${ROOT}/${dir}`, { recursive: true }, (_event, file) => {
      if (file && file.endsWith('.ts') && !file.endsWith('.test.ts')) onModuleChange();
    }),
  ),
];
console.log(`watching ${WATCHED.map((w) => w.dir).join(', ')} and the features' *Model exports (Ctrl-C stops)`);
generate();

process.on('SIGINT', () => {
  for (const watcher of watchers) watcher.close();
  process.exit(0);
});
