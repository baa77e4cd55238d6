import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { buildPersistedManifest, type PersistedQueryManifest } from '@edgeway/platform';
import { type FragmentDefinitionNode, Kind, parse, print, visit } from 'graphql';

/** The mobile app's operations, one document per file, kept in the repo beside the BFF. */
export const OPERATIONS_DIR = new URL('../operations/', import.meta.url);
/** Fragments the operations share (`operations/fragments/*.graphql`), added to each that spreads them. */
export const FRAGMENTS_DIR = new URL('fragments/', OPERATIONS_DIR);
/** What `npm run persisted -w bff-mobile` writes, and what bff-mobile serves by id. */
export const MANIFEST_FILE = new URL('../persisted-operations.json', import.meta.url);

const graphqlFiles = (dir: URL) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => file.endsWith('.graphql'))
        .sort()
        .map((file) => readFileSync(new URL(file, dir), 'utf8'))
    : [];

function spreadsIn(node: Parameters<typeof visit>[0]): string[] {
  const names: string[] = [];
  visit(node, { FragmentSpread: (spread) => void names.push(spread.name.value) });
  return names;
}

/**
 * The operation's text with the shared fragments it spreads (directly or through another
 * fragment) and does not define itself appended, so what the app sends is one whole document.
 * A file that defines its fragments itself is left exactly as it is: its id does not change.
 */
export function withSharedFragments(source: string, shared: ReadonlyMap<string, FragmentDefinitionNode>): string {
  const document = parse(source);
  const defined = new Set(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [d.name.value] : [])),
  );
  const added: FragmentDefinitionNode[] = [];
  const wanted = spreadsIn(document);
  for (let name = wanted.shift(); name !== undefined; name = wanted.shift()) {
    if (defined.has(name)) continue;
    const fragment = shared.get(name);
    if (!fragment) throw new Error(`Unknown fragment ${name}: define it in the operation or in operations/fragments/`);
    defined.add(name);
    added.push(fragment);
    wanted.push(...spreadsIn(fragment));
  }
  return added.length === 0 ? source : `${source}\n${added.map((fragment) => print(fragment)).join('\n\n')}\n`;
}

/** The fragments in `operations/fragments/`, by name. */
export function sharedFragments(): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const source of graphqlFiles(FRAGMENTS_DIR)) {
    for (const definition of parse(source).definitions) {
      if (definition.kind !== Kind.FRAGMENT_DEFINITION) throw new Error('operations/fragments/ holds only fragments');
      if (fragments.has(definition.name.value)) throw new Error(`Fragment ${definition.name.value} is defined twice`);
      fragments.set(definition.name.value, definition);
    }
  }
  return fragments;
}

/** The manifest the operations in the repo make now. */
export function manifestFromOperations(): PersistedQueryManifest {
  const shared = sharedFragments();
  return buildPersistedManifest(graphqlFiles(OPERATIONS_DIR).map((source) => withSharedFragments(source, shared)));
}

/** The manifest file's text: stable, so an unchanged set of operations gives an unchanged file. */
export const manifestText = (manifest: PersistedQueryManifest) => `${JSON.stringify(manifest, null, 2)}\n`;
