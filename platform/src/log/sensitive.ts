/**
 * Names whose values are credentials wherever they appear: log fields, headers, span attributes
 * (platform/src/telemetry/export.ts) and URL query parameters. One list, so logs and traces
 * cannot drift apart. A module of its own, without pino: tracing imports it before pino may be
 * loaded (the pino instrumentation only patches a pino loaded after it).
 */
export const SENSITIVE_NAMES = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-edgeway-credential',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'password',
  'client_secret',
] as const;
