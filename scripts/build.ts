import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ASSET = /\.graphql$/;

/**
 * `npm run build` (and `npm start`, first): compiles every deployable workspace to its dist/
 * (tsconfig.build.json; incremental, about 2 s when nothing changed), then copies what tsc does
 * not: the SDL files that sit beside the modules reading them at run time. Throws on type errors.
 */
export function build(): void {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const config = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
    references: { path: string }[];
  };
  for (const { path } of config.references) {
    const workspace = join(ROOT, dirname(path));
    const src = join(workspace, 'src');
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
      if (ASSET.test(file)) cpSync(join(src, file), join(workspace, 'dist', file));
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    build();
  } catch {
    process.exit(1); // tsc has printed why
  }
}
