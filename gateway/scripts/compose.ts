import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeSupergraph, HEADER } from './composition.js';

const { supergraphSdl, apiSchemaSdl } = composeSupergraph();
const root = new URL('../', import.meta.url);
writeFileSync(fileURLToPath(new URL('supergraph.graphql', root)), HEADER + supergraphSdl);
writeFileSync(fileURLToPath(new URL('api-schema.graphql', root)), HEADER + apiSchemaSdl);
process.stdout.write('wrote gateway/supergraph.graphql and gateway/api-schema.graphql\n');
