// tsx turns on Node's source maps for every module loaded after it. Node then reads and keeps in
// memory the source map of every module that names one (most of node_modules do), and parses
// them into large arrays the first time a stack trace is built: in the gateway that was over
// 100 MiB of heap, old-generation garbage-collection work and start-up time. In production stack
// traces are only logged, never shown, so they go unmapped (line numbers are those of the
// transpiled file, close to the source's); development keeps mapped stacks. tsx switches them on
// again as its loaders activate, so in production the switch is held off as well.
// Imported first by register.ts, so it runs before any other module is loaded.
if (process.env.NODE_ENV === 'production') {
  process.setSourceMapsEnabled(false);
  process.setSourceMapsEnabled = () => undefined;
}
