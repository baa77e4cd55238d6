export interface ReviewRecord {
  id: string;
  productUpc: string;
  authorId: string;
  /** Stars, 1..5. */
  rating: number;
  body: string;
  /** ISO 8601; internal (not in the schema), it orders reviews newest first. */
  createdAt: string;
}

/** A user as this subgraph knows it: the key, plus the username it @provides on `Review.author`. */
export interface UserRef {
  id: string;
  username?: string | null;
}

export interface ProductRef {
  upc: string;
}

/**
 * This subgraph's copy of the accounts usernames, kept so `Review.author` can honour
 * `@provides(fields: "username")` without a hop to accounts.
 */
export const USERNAMES: Readonly<Record<string, string>> = {
  '1': 'ada',
  '2': 'alan',
  '3': 'grace',
  '4': 'edsger',
  '5': 'barbara',
  '6': 'donald',
};

type Row = [id: string, upc: string, author: string, rating: number, createdAt: string, body: string];

// Product "12" (Stool) has no reviews on purpose: its averageRating is null.
const ROWS: Row[] = [
  ['1', '1', '1', 5, '2026-01-03T09:12:00Z', 'Sturdy and handsome; seats six for a long dinner.'],
  ['2', '1', '2', 4, '2026-01-09T18:40:00Z', 'Solid oak, though assembly took an afternoon.'],
  ['3', '1', '4', 3, '2026-02-14T11:05:00Z', 'Fine table, but the finish scratches easily.'],
  ['4', '2', '3', 5, '2026-01-05T20:30:00Z', 'The most comfortable couch I have owned.'],
  ['5', '2', '5', 4, '2026-02-02T08:15:00Z', 'Deep seats, great fabric, delivery was slow.'],
  ['6', '2', '6', 2, '2026-03-01T13:45:00Z', 'Cushions flattened within a month.'],
  ['7', '3', '1', 4, '2026-01-11T10:00:00Z', 'Good posture support for long sessions.'],
  ['8', '3', '2', 5, '2026-01-20T16:20:00Z', 'Light, stackable and surprisingly comfortable.'],
  ['9', '3', '3', 3, '2026-02-07T09:30:00Z', 'Decent chair, squeaks a little.'],
  ['10', '3', '6', 1, '2026-03-04T19:10:00Z', 'A leg arrived bent.'],
  ['11', '4', '4', 4, '2026-01-15T21:00:00Z', 'Warm light, perfect for reading.'],
  ['12', '4', '5', 5, '2026-02-18T07:45:00Z', 'Small, bright and cheap. What more could you want?'],
  ['13', '5', '1', 5, '2026-01-07T14:10:00Z', 'Plenty of room for two monitors and a notebook.'],
  ['14', '5', '4', 4, '2026-02-10T12:00:00Z', 'Stable, with a cable tray that actually works.'],
  ['15', '5', '6', 4, '2026-03-06T17:25:00Z', 'I typeset a whole volume at this desk.'],
  ['16', '5', '2', 2, '2026-03-12T10:40:00Z', 'The drawer sticks.'],
  ['17', '6', '3', 4, '2026-01-22T15:35:00Z', 'Holds every manual I own.'],
  ['18', '6', '6', 5, '2026-02-25T11:50:00Z', 'Finally a shelf that does not sag under heavy books.'],
  ['19', '7', '5', 5, '2026-01-28T20:05:00Z', 'Lovely reading chair; the arms are the right height.'],
  ['20', '7', '1', 4, '2026-02-21T09:00:00Z', 'Elegant, if a little firm.'],
  ['21', '7', '3', 3, '2026-03-09T14:30:00Z', 'Nice shape, the colour is darker than pictured.'],
  ['22', '8', '2', 4, '2026-02-01T10:25:00Z', 'Soft underfoot and easy to clean.'],
  ['23', '8', '4', 2, '2026-03-03T16:00:00Z', 'The edges curl.'],
  ['24', '9', '5', 5, '2026-01-18T22:10:00Z', 'Quiet, solid, no creaks at all.'],
  ['25', '9', '6', 4, '2026-02-12T07:30:00Z', 'Great frame; the slats needed a second screw pass.'],
  ['26', '10', '1', 3, '2026-02-05T13:15:00Z', 'Clear glass, flimsy hanging hardware.'],
  ['27', '10', '3', 5, '2026-03-10T08:50:00Z', 'Makes the hallway feel twice as big.'],
  ['28', '11', '2', 4, '2026-01-25T19:45:00Z', 'Huge and well built; needs two people to move.'],
  ['29', '11', '4', 5, '2026-02-28T10:05:00Z', 'Every shelf is adjustable, which I appreciate.'],
  ['30', '11', '5', 1, '2026-03-14T12:20:00Z', 'A door hinge broke on day one.'],
  ['31', '4', '6', 3, '2026-03-15T18:00:00Z', 'Fine lamp; the switch is hard to find in the dark.'],
  ['32', '6', '1', 5, '2026-03-16T09:40:00Z', 'Simple, strong and easy to assemble.'],
];

export const REVIEWS: readonly ReviewRecord[] = ROWS.map(([id, productUpc, authorId, rating, createdAt, body]) => ({
  id,
  productUpc,
  authorId,
  rating,
  body,
  createdAt,
}));
