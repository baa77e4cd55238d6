import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MANIFEST_FILE, manifestFromOperations, manifestText } from './manifest.js';

const manifest = manifestFromOperations();
writeFileSync(fileURLToPath(MANIFEST_FILE), manifestText(manifest));
process.stdout.write(
  `wrote bff-mobile/persisted-operations.json: ${manifest.operations.map((op) => op.name).join(', ')}\n`,
);
