/**
 * Caps retries at a share of recent requests, so that during an outage retries cannot multiply
 * the load on a dependency that is already struggling.
 */
export function createRetryBudget(options: { ratio?: number; minPerWindow?: number; windowMs?: number } = {}) {
  const ratio = options.ratio ?? 0.1;
  const minPerWindow = options.minPerWindow ?? 3;
  const windowMs = options.windowMs ?? 10_000;
  let windowStart = Date.now();
  let requests = 0;
  let retries = 0;
  const roll = () => {
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      windowStart = now;
      requests = 0;
      retries = 0;
    }
  };
  return {
    recordRequest() {
      roll();
      requests++;
    },
    tryRetry(): boolean {
      roll();
      if (retries >= Math.max(minPerWindow, Math.floor(requests * ratio))) return false;
      retries++;
      return true;
    },
  };
}
