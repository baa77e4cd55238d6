import { writeFileSync } from 'node:fs';
import { gatewayConfigJsonSchema, JSON_SCHEMA_FILE } from '../src/config/jsonSchema.js';

writeFileSync(JSON_SCHEMA_FILE, gatewayConfigJsonSchema());
process.stdout.write('wrote gateway/gateway.config.schema.json\n');
