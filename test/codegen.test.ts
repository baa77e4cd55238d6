import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelExports } from '../scripts/modelExports.js';

// A subgraph change that breaks a BFF fails `npm run codegen` (and `npm test`, through
// `codegen:check`), not production. Run on a copy, so the real tree is never broken.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
let copy: string;

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'edgeway-codegen-'));
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  for (const path of ['codegen.ts', 'gateway/api-schema.graphql', 'bff-web/src', 'bff-mobile/src']) {
    cpSync(join(ROOT, path), join(copy, path), { recursive: true });
  }
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

function codegen(...args: string[]) {
  const result = spawnSync(join(ROOT, 'node_modules/.bin/graphql-codegen'), ['--config', 'codegen.ts', ...args], {
    cwd: copy,
    // Under NODE_ENV=test codegen prints no progress and no validation message.
    env: { ...process.env, NODE_ENV: 'development', CODEGEN_ONLY: 'bff-web,bff-mobile' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe('codegen checks every BFF against the gateway', { timeout: 120_000 }, () => {
  it('finds the committed BFF types up to date', () => {
    const { status, output } = codegen('--check');
    expect(status, output).toBe(0);
  });

  it('reports a generated file that is stale', () => {
    const generated = join(copy, 'bff-mobile/src/__generated__/gateway.ts');
    const original = readFileSync(generated, 'utf8');
    writeFileSync(generated, `${original}// edited by hand\n`);
    const { status, output } = codegen('--check');
    writeFileSync(generated, original);
    expect(status).toBe(1);
    expect(output).toContain('bff-mobile/src/__generated__/gateway.ts');
  });

  it('fails, naming the field and the operation file, when the API schema loses a field a BFF selects', () => {
    const schema = join(copy, 'gateway/api-schema.graphql');
    const apiSchema = readFileSync(schema, 'utf8');
    // As if the reviews subgraph dropped Product.averageRating and was recomposed.
    writeFileSync(schema, apiSchema.replace(/\n\s*"""Mean rating[^"]*"""\n\s*averageRating: Float\n/, '\n'));
    expect(readFileSync(schema, 'utf8')).not.toContain('averageRating');

    const { status, output } = codegen();
    writeFileSync(schema, apiSchema);
    expect(status).toBe(1);
    expect(output).toContain('GraphQL Document Validation failed');
    expect(output).toContain('Cannot query field "averageRating" on type "Product"');
    expect(output).toMatch(/bff-mobile\/src\/features\/common\/common\.gateway\.graphql:\d+:\d+/);
    expect(output).toMatch(/bff-web\/src\/features\/common\/common\.gateway\.graphql:\d+:\d+/);
  });

  it('codegen:watch regenerates for a new *Model export in a feature module, and not for other edits', () => {
    const module = join(copy, 'bff-mobile/src/features/orderDetail/orderDetail.ts');
    const source = readFileSync(module, 'utf8');
    const before = modelExports(copy);
    writeFileSync(module, `${source}\nconst unrelated = 1;\n`);
    const edited = modelExports(copy);
    writeFileSync(module, `${source}\nexport interface GiftNoteModel {\n  text: string;\n}\n`);
    const added = modelExports(copy);
    writeFileSync(module, source);
    expect(edited).toBe(before);
    expect(added).not.toBe(before);
    expect(added).toContain('orderDetail/orderDetail.ts#GiftNoteModel');
  });
});
