import { z } from 'zod';

// Which headers a propagation rule may name or a pattern may match (headerRules.ts).

/**
 * Never forwarded, whatever a rule says: they describe one hop (RFC 9110 §7.6.1), or the framing
 * and target of the request the caller made to us, not the request we make.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'expect',
]);

/**
 * Never forwarded either: they negotiate how the edge itself reads the answer (a compressed,
 * partial or 304 answer would reach a parser that expects the whole JSON body).
 */
const OWN_TRANSFER = new Set([
  'accept-encoding',
  'content-encoding',
  'range',
  'if-range',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
]);

/**
 * The caller's credentials: a pattern never matches them, only a rule naming them does, so a
 * broad `matching: '.*'` cannot hand a user's token to a third-party upstream.
 */
const NAMED_ONLY = new Set(['authorization', 'cookie']);

/** Whether a pattern may copy this client header: never credentials, hop-by-hop, transfer or the edge's own. */
export const patternMayCopy = (name: string) =>
  !NAMED_ONLY.has(name) && !isHopByHop(name) && !OWN_TRANSFER.has(name) && !isReserved(name);

/** Headers the edge itself sets on its upstream calls; rules can neither write nor remove them. */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'content-type',
  'accept',
  'x-request-id',
  'x-chaos',
  'traceparent',
  'tracestate',
  'baggage',
]);

/** `x-edgeway-*` is the edge's own namespace (the signed internal credential above all). */
export const isReserved = (name: string) => RESERVED_HEADERS.has(name) || name.startsWith('x-edgeway-');
export const isHopByHop = (name: string) => HOP_BY_HOP.has(name) || name.startsWith('proxy-');

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

/** A header name a rule may name: lower-cased; hop-by-hop and the edge's own headers refused. */
export const headerName = z
  .string()
  .transform((name) => name.toLowerCase())
  .refine((name) => TOKEN.test(name), { message: 'not a valid header name' })
  .refine((name) => !isHopByHop(name), { message: 'is a hop-by-hop header and is never forwarded' })
  .refine((name) => !OWN_TRANSFER.has(name), {
    message: 'negotiates how the edge reads the answer and is never forwarded',
  })
  .refine((name) => !isReserved(name), { message: 'is set by the edge itself and cannot be changed by a rule' });
