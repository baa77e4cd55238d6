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
