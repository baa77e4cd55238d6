import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const PLATFORM = fileURLToPath(new URL('../..', import.meta.url));

// What a service gets from `--import @edgeway/platform/telemetry/register`, in a real process:
// the pino instrumentation only patches a pino loaded after the SDK started, so anything the
// register module imports must stay clear of pino (this broke once, silently).
const SCRIPT = `
import { trace } from '@opentelemetry/api';
import { createLogger } from './src/log/logger.ts';
const logger = createLogger({ service: 'register-test', level: 'info' });
trace.getTracer('test').startActiveSpan('work', (span) => {
  logger.info({ authorization: 'Bearer secret' }, 'inside a span');
  span.end();
});
`;

/** Runs an ES module as a service starts (tracing registered first) and returns its last output line, parsed. */
async function lastLineOf(script: string, env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--conditions=edgeway-source',
      '--import',
      'tsx',
      '--import',
      './src/telemetry/register.ts',
      '--input-type=module',
      '-e',
      script,
    ],
    { cwd: PLATFORM, env: { ...process.env, OTEL_SDK_DISABLED: 'false', ...env } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describe('telemetry/register', () => {
  it.each([
    ['without an OTLP endpoint (nothing recorded, ids all the same)', ''],
    ['with an OTLP endpoint', 'http://127.0.0.1:9'],
  ])(
    'starts tracing before the app, %s: log lines inside a span carry its trace and span ids',
    async (_, endpoint) => {
      const line = await lastLineOf(SCRIPT, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
      expect(line).toMatchObject({
        msg: 'inside a span',
        trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
        authorization: '[redacted]',
      });
      // Each case starts a fresh Node with the SDK: on a loaded 2-core machine that alone can take 15 s.
    },
    45_000,
  );

  it('patches every instrumented library an ESM service imports (the ESM hook is what reaches them)', async () => {
    // What the services import, from an ES module as they do; each instrumentation wraps (shimmer
    // marks a wrapped function with __wrapped) or subscribes to what it traces. Without the ESM
    // hook, Node 20 loads these CommonJS packages past the SDK's require hook and none is wrapped.
    // (pino: the tests above.)
    const script = `
      import { execute } from 'graphql';
      import DataLoader from 'dataloader';
      import http from 'node:http';
      import diagnostics from 'node:diagnostics_channel';
      const wrapped = (f) => Boolean(f && f.__wrapped);
      console.log(JSON.stringify({
        graphql: wrapped(execute),
        dataloader: wrapped(DataLoader.prototype.load),
        httpServer: wrapped(http.Server.prototype.emit),
        httpClient: wrapped(http.request),
        undici: diagnostics.hasSubscribers('undici:request:create'),
      }));
    `;
    expect(await lastLineOf(script)).toEqual({
      graphql: true,
      dataloader: true,
      // Not wrapped: each service's server span is its HTTP server's own (http/serverSpan.ts).
      httpServer: false,
      httpClient: true,
      undici: true,
    });
  }, 45_000);
});
