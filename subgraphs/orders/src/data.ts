export type OrderStatus = 'PLACED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';

export interface OrderItemRecord {
  upc: string;
  quantity: number;
  /** Price paid per unit, in cents (promotions make it differ from today's list price). */
  unitPrice: number;
}

export interface OrderRecord {
  id: string;
  userId: string;
  status: OrderStatus;
  /** ISO 8601. */
  placedAt: string;
  currency: string;
  items: OrderItemRecord[];
}

export interface UserRef {
  id: string;
}

export interface ProductRef {
  upc: string;
}

type Row = [id: string, userId: string, status: OrderStatus, placedAt: string, items: Array<[string, number, number]>];

// Every user has at least one order in every status; counts vary (6, 5, 4, 6, 5, 4).
// a table reads best one order per line
// prettier-ignore
const ROWS: Row[] = [
  ['1001', '1', 'DELIVERED', '2026-01-04T10:15:00Z', [['1', 1, 34900], ['3', 4, 8900]]],
  ['1002', '1', 'CANCELLED', '2026-01-19T16:02:00Z', [['7', 1, 64900]]],
  ['1003', '1', 'DELIVERED', '2026-02-08T09:41:00Z', [['4', 2, 4500]]],
  ['1004', '1', 'SHIPPED', '2026-03-02T13:27:00Z', [['6', 1, 17900], ['12', 2, 3900]]],
  ['1005', '1', 'PLACED', '2026-03-18T08:05:00Z', [['10', 1, 7900]]],
  ['1006', '1', 'PLACED', '2026-03-20T19:30:00Z', [['5', 1, 45900], ['3', 1, 8900], ['4', 1, 4500]]],
  ['1007', '2', 'DELIVERED', '2026-01-06T11:00:00Z', [['2', 1, 129900]]],
  ['1008', '2', 'DELIVERED', '2026-01-27T14:20:00Z', [['8', 2, 15900]]],
  ['1009', '2', 'CANCELLED', '2026-02-15T10:10:00Z', [['11', 1, 119900]]],
  ['1010', '2', 'SHIPPED', '2026-03-11T17:45:00Z', [['3', 2, 8500]]],
  ['1011', '2', 'PLACED', '2026-03-19T12:00:00Z', [['12', 3, 3900], ['4', 1, 4500]]],
  ['1012', '3', 'CANCELLED', '2026-01-12T09:00:00Z', [['9', 1, 104900]]],
  ['1013', '3', 'DELIVERED', '2026-02-03T15:30:00Z', [['10', 2, 7900]]],
  ['1014', '3', 'SHIPPED', '2026-03-05T10:45:00Z', [['6', 2, 18900]]],
  ['1015', '3', 'PLACED', '2026-03-17T21:15:00Z', [['7', 1, 59900]]],
  ['1016', '4', 'DELIVERED', '2026-01-02T08:30:00Z', [['5', 1, 45900]]],
  ['1017', '4', 'DELIVERED', '2026-01-23T13:10:00Z', [['3', 1, 8900], ['12', 1, 3900]]],
  ['1018', '4', 'CANCELLED', '2026-02-11T18:55:00Z', [['1', 1, 34900]]],
  ['1019', '4', 'DELIVERED', '2026-02-20T10:00:00Z', [['1', 1, 32900]]],
  ['1020', '4', 'SHIPPED', '2026-03-08T14:40:00Z', [['8', 1, 15900], ['4', 2, 4500]]],
  ['1021', '4', 'PLACED', '2026-03-21T09:25:00Z', [['11', 1, 119900]]],
  ['1022', '5', 'DELIVERED', '2026-01-14T12:35:00Z', [['7', 1, 64900]]],
  ['1023', '5', 'DELIVERED', '2026-02-06T16:50:00Z', [['4', 3, 4500]]],
  ['1024', '5', 'SHIPPED', '2026-02-27T11:15:00Z', [['9', 1, 104900], ['10', 1, 7900]]],
  ['1025', '5', 'CANCELLED', '2026-03-13T09:05:00Z', [['2', 1, 129900]]],
  ['1026', '5', 'PLACED', '2026-03-22T15:00:00Z', [['6', 1, 18900]]],
  ['1027', '6', 'DELIVERED', '2026-01-09T10:20:00Z', [['5', 2, 45900]]],
  ['1028', '6', 'SHIPPED', '2026-02-24T17:05:00Z', [['3', 6, 8900]]],
  ['1029', '6', 'CANCELLED', '2026-03-07T13:30:00Z', [['12', 1, 3900]]],
  ['1030', '6', 'PLACED', '2026-03-16T08:45:00Z', [['8', 1, 15900], ['1', 1, 34900]]],
];

export const ORDERS: readonly OrderRecord[] = ROWS.map(([id, userId, status, placedAt, items]) => ({
  id,
  userId,
  status,
  placedAt,
  currency: 'USD',
  items: items.map(([upc, quantity, unitPrice]) => ({ upc, quantity, unitPrice })),
}));
