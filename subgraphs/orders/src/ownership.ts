import { AppError } from '@edgeway/platform';
import type { SubgraphContext } from './context.js';

/** The caller's user id; anonymous callers must sign in first. */
export function requireCaller(context: SubgraphContext): string {
  if (!context.userId) throw new AppError('UNAUTHENTICATED');
  return context.userId;
}

/** Orders are private: only their owner reads them. */
export function assertOwner(context: SubgraphContext, ownerId: string): void {
  if (requireCaller(context) !== ownerId) throw new AppError('FORBIDDEN', "Only the owner may read a user's orders");
}

/**
 * The order `id` if the caller owns it; null when no order has this id. The caller is checked
 * before the lookup so that anonymous callers learn nothing about which ids exist.
 */
export async function ownOrder(context: SubgraphContext, id: string) {
  requireCaller(context);
  const order = await context.loaders.order.load(id);
  if (order) assertOwner(context, order.userId);
  return order;
}
