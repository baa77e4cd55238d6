// CLI: serve the four benchmark subgraphs on one port.
//   PORT=4200 HOST=127.0.0.1 node --import tsx bench/subgraphs/main.ts
// Prints one JSON line, {"msg":"listening","url":"http://127.0.0.1:4200"}, once it accepts
// requests; the subgraphs are at <url>/accounts, /inventory, /products and /reviews.
// CACHE_MAX_AGE_S=60 makes every answer cacheable for that long (Cache-Control, public).
import { startBenchSubgraphs } from './server.js';

const port = Number(process.env.PORT ?? 4200);
const host = process.env.HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  process.stderr.write(`${JSON.stringify({ msg: 'invalid PORT', port: process.env.PORT })}\n`);
  process.exit(2);
}

const cacheMaxAge = process.env.CACHE_MAX_AGE_S;
const subgraphs = await startBenchSubgraphs({
  port,
  host,
  ...(cacheMaxAge ? { cacheMaxAgeSeconds: Number(cacheMaxAge) } : {}),
});
process.stdout.write(`${JSON.stringify({ msg: 'listening', url: subgraphs.baseUrl })}\n`);

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  subgraphs.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${JSON.stringify({ msg: 'close failed', signal, error: String(error) })}\n`);
      process.exit(1);
    },
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
