import { readFileSync } from 'node:fs';

/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  op: string;
  /** Everything after the keyword, flags included. */
  text: string;
}

export interface Stage {
  name: string;
  image: string;
  instructions: Instruction[];
}

/** The stages of a Dockerfile, in order, with their instructions (parser directives and comments dropped). */
export function parseDockerfile(path: string): Stage[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const instructions: Instruction[] = [];
  let pending = '';
  for (const line of lines) {
    if (!pending && (/^\s*#/.test(line) || !line.trim())) continue;
    if (/^\s*#/.test(line)) continue; // a comment inside a continued instruction
    const joined = pending + line.trim();
    if (joined.endsWith('\\')) {
      pending = `${joined.slice(0, -1).trimEnd()} `;
      continue;
    }
    pending = '';
    const match = /^(\w+)\s+(.*)$/.exec(joined);
    if (!match) throw new Error(`cannot read Dockerfile line: ${joined}`);
    instructions.push({ op: match[1]!.toUpperCase(), text: match[2]! });
  }
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.op === 'FROM') {
      const [image, as, name] = instruction.text.split(/\s+/);
      if (!image || (as && as.toUpperCase() !== 'AS')) throw new Error(`unsupported FROM ${instruction.text}`);
      stages.push({ name: name ?? String(stages.length), image, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${instruction.op} before FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

/** `${NAME}` and `$NAME` replaced from `vars` (unset ones become empty, as Docker does). */
export function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => {
    return vars[(braced ?? bare)!] ?? '';
  });
}

/** `K=V K2="V 2"` pairs of ENV (and ARG defaults). */
export function keyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of text.matchAll(/(\w+)=("([^"]*)"|'([^']*)'|\S*)/g)) {
    out[match[1]!] = match[3] ?? match[4] ?? match[2]!;
  }
  return out;
}

/** The command of CMD or of HEALTHCHECK's CMD: the exec form (`["node", "x.js"]`) as it is, the shell form through `/bin/sh -c`. */
export function execForm(text: string): string[] {
  const command = text.replace(/^CMD\s+/, '').trim();
  if (!command.startsWith('[')) return ['/bin/sh', '-c', command];
  const parsed = JSON.parse(command) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string'))
    throw new Error(`not an exec form: ${text}`);
  return parsed as string[];
}

/** COPY's flags, sources and destination. */
export function copyArgs(text: string): { from?: string; chown?: string; sources: string[]; dest: string } {
  const words = text.split(/\s+/);
  const flags: Record<string, string> = {};
  while (words[0]?.startsWith('--')) {
    const [key, value] = words.shift()!.slice(2).split('=');
    flags[key!] = value ?? '';
  }
  const dest = words.pop();
  if (!dest || words.length === 0) throw new Error(`COPY needs a source and a destination: ${text}`);
  for (const flag of Object.keys(flags))
    if (flag !== 'from' && flag !== 'chown') throw new Error(`COPY --${flag} unsupported`);
  return {
    ...(flags.from ? { from: flags.from } : {}),
    ...(flags.chown ? { chown: flags.chown } : {}),
    sources: words,
    dest,
  };
}

/** A .dockerignore as a predicate over context-relative paths (a match excludes the path and what is under it). */
export function dockerignore(text: string): (path: string) => boolean {
  const patterns = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (patterns.some((p) => p.startsWith('!'))) throw new Error('.dockerignore exceptions (!) are not supported here');
  const regexes = patterns.map((pattern) => {
    const source = pattern
      .replace(/^\/+|\/+$/g, '')
      .split('/')
      .map((part) =>
        part === '**'
          ? '.*'
          : part
              .replace(/[.+^$()|{}[\]\\]/g, '\\$&')
              .replace(/\*/g, '[^/]*')
              .replace(/\?/g, '[^/]'),
      )
      .join('/')
      .replace(/\.\*\//g, '(?:.*/)?');
    return new RegExp(`^${source}(?:/.*)?$`);
  });
  return (path) => regexes.some((r) => r.test(path));
}
