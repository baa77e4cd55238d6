/**
 * Header propagation as rules, applied in order, the way Apollo Router's `headers:` section reads:
 * from a client's request to an upstream (propagate by name or pattern, rename, default value,
 * insert a static value, remove), and from an upstream's answer to the client (propagate by name).
 * The gateway (per subgraph) and the BFFs (their gateway and REST calls) share this engine.
 */
import { z } from 'zod';
import { headerName, patternMayCopy } from './headerNames.js';

export { RESERVED_HEADERS } from './headerNames.js';

const pattern = z.string().refine(
  (source) => {
    try {
      new RegExp(source, 'i');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

const headerValue = z.string().regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'contains characters a header value cannot hold');

const propagateNamed = z.strictObject({
  /** The client's header to copy. */
  named: headerName,
  /** Sent under this name instead. @default the same name */
  rename: headerName.optional(),
  /** Sent with this value when the client did not send the header. @default none (not sent) */
  default: headerValue.optional(),
});
const propagateMatching = z.strictObject({
  /** Every client header whose name matches (case-insensitive); never authorization or cookie. */
  matching: pattern,
});
const removeRule = z.union([z.strictObject({ named: headerName }), z.strictObject({ matching: pattern })], {
  error: 'expected { named } or { matching }',
});

export const requestHeaderRule = z.union(
  [
    z.strictObject({
      propagate: z.union([propagateNamed, propagateMatching], {
        error: 'expected { named, rename?, default? } or { matching }',
      }),
    }),
    z.strictObject({ insert: z.strictObject({ name: headerName, value: headerValue }) }),
    /** Removes what earlier rules added. */
    z.strictObject({ remove: removeRule }),
  ],
  { error: 'expected one of { propagate }, { insert }, { remove }' },
);

export const responseHeaderRule = z.strictObject({
  /** The upstream's answer header copied onto the client's answer (e.g. `set-cookie`). */
  propagate: z.strictObject({ named: headerName }),
});

export type RequestHeaderRule = z.infer<typeof requestHeaderRule>;
export type ResponseHeaderRule = z.infer<typeof responseHeaderRule>;

export type IncomingHeaders = Record<string, string | string[] | undefined>;

/** Turns a client's request headers into the headers one upstream gets; `{}` when none apply. */
export type RequestHeaderMapper = (incoming: IncomingHeaders) => Record<string, string>;

const valueOf = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value);

/** Names the client's `Connection` header lists are hop-by-hop for this request. */
function connectionListed(incoming: IncomingHeaders): Set<string> | undefined {
  const connection = valueOf(incoming.connection);
  if (!connection) return undefined;
  return new Set(connection.split(',').map((name) => name.trim().toLowerCase()));
}

/** Compiles request rules once; the mapper runs per upstream call. */
export function compileRequestRules(rules: readonly RequestHeaderRule[]): RequestHeaderMapper {
  if (rules.length === 0) return () => ({});
  const steps = rules.map((rule) => {
    if ('insert' in rule) {
      const { name, value } = rule.insert;
      return (out: Record<string, string>) => {
        out[name] = value;
      };
    }
    if ('remove' in rule) {
      const remove = rule.remove;
      if ('named' in remove) {
        return (out: Record<string, string>) => {
          delete out[remove.named];
        };
      }
      const re = new RegExp(remove.matching, 'i');
      return (out: Record<string, string>) => {
        for (const name of Object.keys(out)) if (re.test(name)) delete out[name];
      };
    }
    const propagate = rule.propagate;
    if ('named' in propagate) {
      const { named, rename = named, default: fallback } = propagate;
      return (out: Record<string, string>, incoming: IncomingHeaders, listed: Set<string> | undefined) => {
        const value = listed?.has(named) ? undefined : valueOf(incoming[named]);
        if (value !== undefined) out[rename] = value;
        else if (fallback !== undefined) out[rename] = fallback;
      };
    }
    const re = new RegExp(propagate.matching, 'i');
    return (out: Record<string, string>, incoming: IncomingHeaders, listed: Set<string> | undefined) => {
      for (const name in incoming) {
        const lower = name.toLowerCase();
        if (!re.test(lower) || !patternMayCopy(lower)) continue;
        const value = listed?.has(lower) ? undefined : valueOf(incoming[name]);
        if (value !== undefined) out[lower] = value;
      }
    };
  });
  return (incoming) => {
    const out: Record<string, string> = {};
    const listed = connectionListed(incoming);
    for (const step of steps) step(out, incoming, listed);
    return out;
  };
}

/** What an upstream's answer header lookup offers: undici's `Headers` (with `getSetCookie`) or a plain getter. */
export interface AnswerHeaders {
  get(name: string): string | null;
  getSetCookie?(): string[];
}

/** The headers of an upstream's answer to copy onto the client's answer, one entry per value. */
export type ResponseHeaderPicker = (answer: AnswerHeaders) => Array<[string, string]>;

export function compileResponseRules(rules: readonly ResponseHeaderRule[]): ResponseHeaderPicker | undefined {
  if (rules.length === 0) return undefined;
  const names = [...new Set(rules.map((rule) => rule.propagate.named))];
  return (answer) => {
    const picked: Array<[string, string]> = [];
    for (const name of names) {
      // Set-Cookie values cannot be joined with commas (their dates hold commas): one entry each.
      if (name === 'set-cookie' && answer.getSetCookie) {
        for (const cookie of answer.getSetCookie()) picked.push([name, cookie]);
        continue;
      }
      const value = answer.get(name);
      if (value !== null) picked.push([name, value]);
    }
    return picked;
  };
}

/**
 * `PROPAGATE_HEADERS=accept-language,x-tenant-id` as rules: each named header propagated as is.
 * The env form has no patterns: an operator names every header a BFF forwards.
 */
export const propagateHeadersEnv = z
  .string()
  .transform((list, ctx) => {
    const rules: RequestHeaderRule[] = [];
    for (const item of list.split(',')) {
      const name = item.trim();
      if (!name) continue;
      const parsed = headerName.safeParse(name);
      if (parsed.success) rules.push({ propagate: { named: parsed.data } });
      else ctx.addIssue({ code: 'custom', message: `${name}: ${parsed.error.issues[0]?.message}` });
    }
    return rules;
  })
  .optional();
