/** What shutdown needs of the running tracing. */
export interface Telemetry {
  shutdown(): Promise<void>;
}

/** Where register.ts leaves the running SDK, so shutdown can flush it without importing the SDK. */
export const SDK_KEY = Symbol.for('edgeway.telemetry.sdk');

/** Flushes and stops tracing; a no-op when it was never started. Called on graceful shutdown. */
export async function flushTelemetry(): Promise<void> {
  const sdk = (globalThis as Record<symbol, unknown>)[SDK_KEY] as Telemetry | undefined;
  await sdk?.shutdown().catch(() => undefined);
}
