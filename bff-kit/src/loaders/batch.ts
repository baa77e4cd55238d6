import { setSpanAttributes } from '@edgeway/platform';

/**
 * Tags the DataLoader batch span (the active span inside a batch function, made by the
 * dataloader instrumentation) with the dependency it calls and how many keys it carries.
 * Loads answered from the request's memo never reach a batch.
 */
export function traceBatch(dependency: string, keys: readonly unknown[]): void {
  setSpanAttributes({ 'edgeway.dependency': dependency, 'dataloader.batch.size': keys.length });
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The answer of a batch whose call failed: the error for every key. Returned, not thrown, so
 * DataLoader keeps the failure cached and the request does not call the dependency again.
 */
export function failEach(keys: readonly unknown[], error: unknown): Error[] {
  const failure = asError(error);
  return keys.map(() => failure);
}
