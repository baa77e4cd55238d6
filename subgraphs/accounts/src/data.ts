export interface UserRecord {
  id: string;
  name: string;
  username: string;
  /** Year of birth. */
  birthday: number;
}

/** The seed users; ids and usernames are shared with every other service's seed data. */
export const USERS: readonly UserRecord[] = [
  { id: '1', name: 'Ada Lovelace', username: 'ada', birthday: 1815 },
  { id: '2', name: 'Alan Turing', username: 'alan', birthday: 1912 },
  { id: '3', name: 'Grace Hopper', username: 'grace', birthday: 1906 },
  { id: '4', name: 'Edsger Dijkstra', username: 'edsger', birthday: 1930 },
  { id: '5', name: 'Barbara Liskov', username: 'barbara', birthday: 1939 },
  { id: '6', name: 'Donald Knuth', username: 'donald', birthday: 1938 },
];
