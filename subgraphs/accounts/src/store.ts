import { USERS, type UserRecord } from './data.js';

/**
 * Where the users live. Every lookup takes many keys at once so that per-request DataLoaders
 * turn a query's scattered reads into one call; a database would plug in here.
 */
export interface UserStore {
  all(): Promise<UserRecord[]>;
  /** One entry per id, in the order asked, null where no user has that id. */
  byIds(ids: readonly string[]): Promise<Array<UserRecord | null>>;
}

export function createSeedStore(users: readonly UserRecord[] = USERS): UserStore {
  const byId = new Map(users.map((user) => [user.id, user]));
  return {
    all: async () => [...users],
    byIds: async (ids) => ids.map((id) => byId.get(id) ?? null),
  };
}
