import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm run build`: compiles every deployable workspace to its dist/ (tsconfig.build.json), then
// copies what tsc does not: the SDL files that sit beside the modules reading them at run time.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ASSET = /\.graphql$/;

execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'], {
  cwd: ROOT,
  stdio: 'inherit',
});

const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { references: { path: string }[] };
for (const { path } of build.references) {
  const workspace = join(ROOT, dirname(path));
  const src = join(workspace, 'src');
  for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (ASSET.test(file)) cpSync(join(src, file), join(workspace, 'dist', file));
  }
}
