import type { IncomingHttpHeaders } from 'node:http';

/**
 * How the gateway tells a subgraph who the caller is. Subgraphs read the caller only through
 * `userIdFrom`, so the transport of identity can change in one place.
 */
export const USER_ID_HEADER = 'x-edgeway-user-id';

export function identityHeaders(userId: string | undefined): Record<string, string> {
  return userId ? { [USER_ID_HEADER]: userId } : {};
}

export function userIdFrom(headers: IncomingHttpHeaders): string | undefined {
  const value = headers[USER_ID_HEADER];
  return typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : undefined;
}
