import { AppError } from '@edgeway/platform';

// Versioned so the encoding can change without breaking cursors clients hold.
const PREFIX = 'catalog:v1:';

/** An opaque cursor for the product with this upc (the gateway's keyset position). */
export function encodeCursor(upc: string): string {
  return Buffer.from(PREFIX + upc, 'utf8').toString('base64url');
}

/** The upc a cursor stands for; BAD_USER_INPUT for anything this BFF did not issue. */
export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const upc = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : '';
  if (upc === '' || upc.length > 64 || encodeCursor(upc) !== cursor) {
    throw new AppError('BAD_USER_INPUT', 'after is not a valid cursor');
  }
  return upc;
}
