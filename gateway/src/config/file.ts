import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ConfigError, z } from '@edgeway/platform';
import { parse as parseGraphQL, Kind } from 'graphql';
import type * as Yaml from 'yaml';
import { type SubgraphSettingsInput, subgraphSettingsSchema } from './subgraphs.js';

/**
 * The gateway's configuration file (`GATEWAY_CONFIG`, YAML). YAML rather than a `.ts` module:
 * production runs the compiled JS with no TypeScript loader, a YAML file is what operators of
 * Apollo Router and Kubernetes ConfigMaps already write, and the committed JSON Schema
 * (`gateway.config.schema.json`) gives editors completion and checking without running code.
 */
export const gatewayFileSchema = z
  .strictObject({
    subgraphs: z
      .record(z.string().min(1), subgraphSettingsSchema)
      .describe('By subgraph name as the supergraph names it; "*" holds the defaults for every subgraph.')
      .optional(),
  })
  .describe('Edgeway gateway configuration (gateway.config.yaml).');

export type GatewayFile = Readonly<z.infer<typeof gatewayFileSchema>>;
export type SubgraphsSection = Readonly<Record<string, SubgraphSettingsInput>>;

/** The subgraph names a supergraph's `join__Graph` enum declares (`@join__graph(name: ...)`). */
export function subgraphNamesOf(supergraphSdl: string): string[] {
  const names: string[] = [];
  for (const definition of parseGraphQL(supergraphSdl).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const directive = value.directives?.find((d) => d.name.value === 'join__graph');
      const name = directive?.arguments?.find((a) => a.name.value === 'name')?.value;
      names.push(name?.kind === Kind.STRING ? name.value : value.name.value.toLowerCase());
    }
  }
  return names;
}

const formatPath = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(root)';

// Loaded with the first file read, not with the gateway: a gateway without a file does not keep
// the parser (~0.6 MB of heap, docs/performance.md step 21).
const require = createRequire(import.meta.url);
let yaml: typeof Yaml | undefined;
const yamlParser = () => (yaml ??= require('yaml') as typeof Yaml);

/**
 * Parses and validates the file's text: every problem (YAML syntax, a wrong setting, a subgraph
 * the supergraph does not have) in one list, each with its path, so one edit fixes them all.
 */
export function parseGatewayFile(text: string, subgraphNames: readonly string[]): GatewayFile {
  const problems: string[] = [];
  const { LineCounter, parseDocument } = yamlParser();
  const lines = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  for (const error of document.errors) {
    const at = lines.linePos(error.pos[0]);
    problems.push(`line ${at.line}, column ${at.col}: ${error.message.split('\n')[0]}`);
  }
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `GATEWAY_CONFIG ${p}`));
  const result = gatewayFileSchema.safeParse(document.toJS() ?? {});
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${formatPath(issue.path)}: ${issue.message}`);
  }
  const known = new Set(subgraphNames);
  const raw = document.toJS() as { subgraphs?: unknown } | null;
  if (raw && typeof raw.subgraphs === 'object' && raw.subgraphs !== null) {
    for (const name of Object.keys(raw.subgraphs)) {
      if (name === '*' && (raw.subgraphs as Record<string, { canary?: unknown }>)['*']?.canary !== undefined) {
        problems.push('subgraphs.*.canary: a canary belongs to one subgraph, not to "*"');
      }
      if (name !== '*' && !known.has(name)) {
        problems.push(
          `subgraphs.${name}: the supergraph has no subgraph "${name}" (it has: ${subgraphNames.join(', ')})`,
        );
      }
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return Object.freeze(result.data);
}

/** Reads `GATEWAY_CONFIG` against the supergraph it configures; a file that cannot be read is a problem too. */
export function loadGatewayFile(path: string, supergraphPath: string): GatewayFile {
  let text: string;
  let names: string[];
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`GATEWAY_CONFIG: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`]);
  }
  try {
    names = subgraphNamesOf(readFileSync(supergraphPath, 'utf8'));
  } catch (error) {
    throw new ConfigError([
      `SUPERGRAPH_PATH: cannot read the subgraph names of ${supergraphPath} (${(error as Error).message})`,
    ]);
  }
  return parseGatewayFile(text, names);
}
