import type { Degradation } from '../resilience/degradation.js';

/**
 * An `extensions.degraded` entry as clients get it. One outage seen by every item of a list is
 * ONE entry: its `path` has `"*"` for the list index (or indexes) that vary, and `count` says
 * how many fields took the fallback. A lone entry keeps its exact path and has no `count`.
 */
export interface DegradedEntry extends Degradation {
  /** How many fields this entry stands for; absent when it is one. */
  count?: number;
}

/** The index wildcard of a grouped entry's path: no GraphQL name can be `*`. */
export const ANY_INDEX = '*';

const keyOf = (entry: Degradation) =>
  JSON.stringify([
    entry.path.map((key) => (typeof key === 'number' ? ANY_INDEX : key)),
    entry.dependency,
    entry.reason,
    entry.fallback,
  ]);

/**
 * Groups entries that differ only in list indexes and share dependency, reason and fallback,
 * in the order each group was first seen. Indexes all members share stay as they are
 * (`['dashboard', 'recentOrders', 0, 'items', '*', ...]`).
 */
export function groupDegraded(entries: readonly Degradation[]): DegradedEntry[] {
  const groups = new Map<string, Degradation[]>();
  for (const entry of entries) {
    const key = keyOf(entry);
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return [...groups.values()].map((members) => {
    const [first] = members as [Degradation, ...Degradation[]];
    if (members.length === 1) return { ...first, path: [...first.path] };
    const path = first.path.map((key, i) =>
      typeof key === 'number' && members.some((member) => member.path[i] !== key) ? ANY_INDEX : key,
    );
    return { ...first, path, count: members.length };
  });
}
