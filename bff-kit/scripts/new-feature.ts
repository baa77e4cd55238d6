import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gatewayOperation, namesOf, resolvers, sdl, test } from './templates.js';

// `npm run new:feature -w bff-mobile -- <name>`: a new feature folder in the BFF (the current
// directory, as npm runs it), registered in features/index.ts, with its types generated.

function fail(message: string): never {
  process.stderr.write(`new:feature: ${message}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
const feature = args.find((arg) => !arg.startsWith('-'));
const skipCodegen = args.includes('--no-codegen');
if (!feature) fail('usage: npm run new:feature -w <bff> -- <name> (camelCase, e.g. wishlist)');
if (!/^[a-z][a-zA-Z0-9]{1,39}$/.test(feature)) fail(`"${feature}" is not a camelCase name (e.g. wishlist)`);

const bffDir = process.cwd();
const featuresDir = join(bffDir, 'src/features');
const index = join(featuresDir, 'index.ts');
if (!existsSync(index))
  fail(`${bffDir} is not a BFF (no src/features/index.ts); run it with -w bff-web or -w bff-mobile`);
const bffName = (JSON.parse(readFileSync(join(bffDir, 'package.json'), 'utf8')) as { name: string }).name.replace(
  /^@edgeway\//,
  '',
);
const names = namesOf(feature, bffName);
const folder = join(featuresDir, feature);

// Refuse anything that would overwrite or shadow what exists.
if (existsSync(folder)) fail(`${relative(bffDir, folder)} already exists: not overwriting it`);
if (readFileSync(index, 'utf8').includes(`${feature}Feature`))
  fail(`features/index.ts already exports ${feature}Feature`);
const declared = readdirSync(featuresDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.graphql'))
  .map((file) => readFileSync(join(featuresDir, file), 'utf8'))
  .join('\n');
for (const [what, pattern] of [
  [`type ${names.type}`, new RegExp(`\\btype\\s+${names.type}\\b`)],
  [`a field named ${feature}`, new RegExp(`^\\s*${feature}\\s*[(:]`, 'm')],
  [`operation ${names.operation}`, new RegExp(`\\b(?:query|mutation)\\s+${names.operation}\\b`)],
] as const) {
  if (pattern.test(declared)) fail(`${bffName} already declares ${what}: pick another name`);
}

const root = (() => {
  for (let dir = bffDir; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'codegen.ts'))) return dir;
  return fail('no codegen.ts above this folder');
})();

const files = {
  [`${feature}.graphql`]: sdl(names),
  [`${feature}.gateway.graphql`]: gatewayOperation(names),
  [`${feature}.ts`]: resolvers(names),
  [`${feature}.test.ts`]: test(names),
};
mkdirSync(folder);
for (const [file, content] of Object.entries(files)) writeFileSync(join(folder, file), content, { flag: 'wx' });
appendFileSync(index, `export { ${feature}Feature } from './${feature}/${feature}.js';\n`);

const bin = (name: string) => join(root, 'node_modules/.bin', name);
const written = [...Object.keys(files).map((file) => join(folder, file)), index];
const prettier = spawnSync(bin('prettier'), ['--write', '--log-level', 'warn', ...written], { stdio: 'inherit' });
if (prettier.status !== 0) fail('prettier failed on the new files (see above)');

if (!skipCodegen) {
  // Only this BFF's outputs: its resolver types and its gateway operation types.
  const codegen = spawnSync(bin('graphql-codegen'), ['--config', 'codegen.ts'], {
    cwd: root,
    env: { ...process.env, CODEGEN_ONLY: relative(root, bffDir) },
    encoding: 'utf8',
  });
  if (codegen.status !== 0) {
    process.stderr.write(`${codegen.stdout}\n${codegen.stderr}\n`);
    fail(`created ${relative(root, folder)}, but codegen failed (see above); fix it and run npm run codegen`);
  }
}

const rel = relative(root, folder);
// The BFF's default port, moved as `npm start` moves it when EDGEWAY_PORT_BASE is set.
const defaultPort = Number(/\bport:\s*(\d+)/.exec(readFileSync(join(bffDir, 'src/app.ts'), 'utf8'))?.[1]);
const portBase = Number(process.env.EDGEWAY_PORT_BASE || 4000);
const port = Number.isInteger(defaultPort + portBase) ? defaultPort + portBase - 4000 : '<port>';
process.stdout.write(`Created ${rel}/ and registered it in ${relative(root, index)}:
${Object.keys(files)
  .map((file) => `  ${file}`)
  .join('\n')}

Next:
  npx vitest run --project unit ${rel}    (the new test passes as created)
  npm run codegen:watch    (keeps types current while you edit the .graphql files)
  npm start, then open http://127.0.0.1:${port}/graphql and run { ${feature} { upc name rating } }
See docs/adding-a-bff-resolver.md for making it the feature you need.\n`);
