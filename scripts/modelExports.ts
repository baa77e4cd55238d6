import { readdirSync, readFileSync } from 'node:fs';

/** Where the BFFs' feature modules live, relative to the repo root. */
export const FEATURES = ['bff-web/src/features', 'bff-mobile/src/features'];
const MODEL_EXPORT = /^export\s+(?:interface|type)\s+(\w+Model)\b/gm;

/**
 * The `*Model` exports of every feature module, as codegen.ts finds them. A `.ts` save changes
 * the types only when this changes; any other edit of a resolver needs no codegen run.
 */
export function modelExports(root: string): string {
  const found: string[] = [];
  for (const dir of FEATURES) {
    for (const file of readdirSync(`${root}/${dir}`, { recursive: true, encoding: 'utf8' }).sort()) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      let text: string;
      try {
        text = readFileSync(`${root}/${dir}/${file}`, 'utf8');
      } catch {
        continue; // Removed between the listing and the read.
      }
      for (const [, name] of text.matchAll(MODEL_EXPORT)) found.push(`${dir}/${file}#${name}`);
    }
  }
  return found.join('\n');
}
