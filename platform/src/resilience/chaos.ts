/** One dependency's injected fault for one request (docs/contract.md §5, `x-chaos`). */
export type ChaosDirective = { mode: 'down' } | { mode: 'slow'; delayMs: number };
export type ChaosPlan = ReadonlyMap<string, ChaosDirective>;

export const CHAOS_HEADER = 'x-chaos';
const MAX_DELAY_MS = 60_000;

/**
 * Parses `recommendations=down,pricing=slow:1500`. Unknown modes and malformed entries are
 * ignored: chaos is a development aid and must never break a request by itself.
 */
export function parseChaos(header: string | string[] | undefined): ChaosPlan {
  const plan = new Map<string, ChaosDirective>();
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text || text.length > 1000) return plan;
  for (const entry of text.split(',')) {
    const [rawName, rawMode] = entry.split('=');
    const name = rawName?.trim();
    const mode = rawMode?.trim();
    if (!name || !mode || !/^[a-z0-9-]{1,64}$/i.test(name)) continue;
    if (mode === 'down') plan.set(name, { mode: 'down' });
    const slow = /^slow:(\d{1,6})$/.exec(mode);
    if (slow?.[1]) plan.set(name, { mode: 'slow', delayMs: Math.min(Number(slow[1]), MAX_DELAY_MS) });
  }
  return plan;
}

export function formatChaos(plan: ChaosPlan): string {
  return [...plan].map(([name, d]) => (d.mode === 'down' ? `${name}=down` : `${name}=slow:${d.delayMs}`)).join(',');
}
