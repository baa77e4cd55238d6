import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ComposeService {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** docker-compose.yml as compose reads it: anchors merged, `${VAR}`, `${VAR:-default}` and `${VAR:?error}` filled from `vars`. */
export function readCompose(path: string, vars: Record<string, string>): ComposeFile {
  const text = readFileSync(path, 'utf8').replace(
    /\$\{(\w+)(?::([?-])([^}]*))?\}/g,
    (_, name: string, kind: string | undefined, word: string | undefined) => {
      const value = vars[name];
      if (value) return value;
      if (kind === '?') throw new Error(`required variable ${name} is missing: ${word}`);
      return kind === '-' ? (word ?? '') : '';
    },
  );
  return parse(text, { merge: true }) as ComposeFile;
}

/** The variables ops/compose/secrets.sh writes to .env, made by running it. */
export function composeSecrets(script: string): Record<string, string> {
  const output = execFileSync('sh', [script], { encoding: 'utf8' });
  return Object.fromEntries(
    output
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Service names in an order that starts each after everything it depends on. */
export function startOrder(compose: ComposeFile): string[] {
  const order: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (order.includes(name)) return;
    if (path.includes(name)) throw new Error(`depends_on cycle: ${[...path, name].join(' -> ')}`);
    const deps = compose.services[name]?.depends_on ?? [];
    for (const dep of Array.isArray(deps) ? deps : Object.keys(deps)) visit(dep, [...path, name]);
    order.push(name);
  };
  for (const name of Object.keys(compose.services)) visit(name, []);
  return order;
}
