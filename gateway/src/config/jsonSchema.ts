import { z } from '@edgeway/platform';
import { gatewayFileSchema } from './file.js';

/** Where the committed JSON Schema lives, beside the example it describes. */
export const JSON_SCHEMA_FILE = new URL('../../gateway.config.schema.json', import.meta.url);

/**
 * The configuration file's JSON Schema, generated from the zod schema the gateway validates with
 * (so the two cannot disagree), as the committed file holds it. It describes what may be written
 * (`io: 'input'`); checks a JSON Schema cannot state (a header that is hop-by-hop, a subgraph the
 * supergraph lacks) are the gateway's at start.
 */
export function gatewayConfigJsonSchema(): string {
  const schema = z.toJSONSchema(gatewayFileSchema, { io: 'input', target: 'draft-7' });
  return `${JSON.stringify({ ...schema, title: 'Edgeway gateway configuration' }, null, 2)}\n`;
}
