import { ORDERS, type OrderRecord } from './data.js';

/**
 * Where orders live. Every lookup takes many keys at once so per-request DataLoaders turn a
 * query's scattered reads into one call; a database would plug in here.
 */
export interface OrderStore {
  /** One entry per id, in the order asked, null where no order has that id. */
  byIds(ids: readonly string[]): Promise<Array<OrderRecord | null>>;
  /** Each user's orders, most recent first. */
  byUsers(userIds: readonly string[]): Promise<OrderRecord[][]>;
}

const mostRecentFirst = (a: OrderRecord, b: OrderRecord) =>
  Date.parse(b.placedAt) - Date.parse(a.placedAt) || b.id.localeCompare(a.id);

export function createSeedStore(orders: readonly OrderRecord[] = ORDERS): OrderStore {
  const byId = new Map(orders.map((order) => [order.id, order]));
  const byUser = new Map<string, OrderRecord[]>();
  for (const order of [...orders].sort(mostRecentFirst)) {
    byUser.set(order.userId, [...(byUser.get(order.userId) ?? []), order]);
  }
  return {
    byIds: async (ids) => ids.map((id) => byId.get(id) ?? null),
    byUsers: async (userIds) => userIds.map((userId) => [...(byUser.get(userId) ?? [])]),
  };
}
