import { readdirSync, readFileSync } from 'node:fs';
import { buildPersistedManifest, type PersistedQueryManifest } from '@edgeway/platform';

/** The mobile app's operations, one document per file, kept in the repo beside the BFF. */
export const OPERATIONS_DIR = new URL('../operations/', import.meta.url);
/** What `npm run persisted -w bff-mobile` writes, and what bff-mobile serves by id. */
export const MANIFEST_FILE = new URL('../persisted-operations.json', import.meta.url);

/** The manifest the operations in the repo make now. */
export function manifestFromOperations(): PersistedQueryManifest {
  const files = readdirSync(OPERATIONS_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort();
  return buildPersistedManifest(files.map((file) => readFileSync(new URL(file, OPERATIONS_DIR), 'utf8')));
}

/** The manifest file's text: stable, so an unchanged set of operations gives an unchanged file. */
export const manifestText = (manifest: PersistedQueryManifest) => `${JSON.stringify(manifest, null, 2)}\n`;
