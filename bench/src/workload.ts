// The two workloads of the gateway benchmark, as lists of requests precomputed with their expected
// answers, so the load generator only picks the next one and compares strings.
//   testquery: the public benchmark's TestQuery, the same body from one signed-in user on every
//              connection (what in-flight deduplication shares best).
//   varied:    the operation mix of bench/subgraphs/mix.ts, from many signed-in callers and some
//              anonymous ones, variables drawn from a seeded random source (the same every run).
import { drawOperation, MIX, seededRandom } from '../subgraphs/mix.js';
import { expectedTestQueryData } from '../subgraphs/expected.js';
import { TEST_QUERY } from '../subgraphs/query.js';

export type WorkloadName = 'testquery' | 'varied';
export const WORKLOAD_NAMES: readonly WorkloadName[] = ['testquery', 'varied'];

export interface WorkloadRequest {
  operation: string;
  body: string;
  headers: Record<string, string>;
  /** The answer's `data`, serialized in selection order. */
  expected: string;
}

export interface Workload {
  name: WorkloadName;
  /** One line for the report: what is sent, in what proportions. */
  description: string;
  requests: readonly WorkloadRequest[];
  /** Distinct credentials the requests carry. */
  callers: number;
}

/** Mints an access token for a seed user (the identity service's POST /token). */
export type MintToken = (sub: string, expiresIn: number) => Promise<string>;

/** Seed users the identity service signs tokens for (ids 1-6, which the dataset also has). */
const SEED_USERS = 6;
/** Distinct signed-in callers: several devices (tokens) per seed user. */
const SIGNED_IN_CALLERS = 60;
/** Share of requests sent without a token. */
const ANONYMOUS_SHARE = 0.25;
/** Requests in the varied list; each connection walks it from where the others left off. */
const VARIED_REQUESTS = 4096;
const SEED = 20_261_124;

export function testQueryWorkload(token: string): Workload {
  return {
    name: 'testquery',
    description: 'TestQuery (the public federation benchmark), one signed-in user on every connection',
    requests: [
      {
        operation: 'TestQuery',
        body: JSON.stringify({ query: TEST_QUERY, operationName: 'TestQuery' }),
        headers: { authorization: `Bearer ${token}` },
        expected: JSON.stringify(expectedTestQueryData()),
      },
    ],
    callers: 1,
  };
}

export async function variedWorkload(mint: MintToken): Promise<Workload> {
  const callers = await Promise.all(
    Array.from({ length: SIGNED_IN_CALLERS }, async (_, i) => {
      const sub = String(1 + (i % SEED_USERS));
      // A distinct lifetime per device makes every token distinct.
      return { sub, authorization: `Bearer ${await mint(sub, 3600 + i)}` };
    }),
  );
  const random = seededRandom(SEED);
  const requests: WorkloadRequest[] = [];
  const shares = new Map<string, number>();
  const answers = new Map<string, string>();
  for (let i = 0; i < VARIED_REQUESTS; i++) {
    const caller = random() < ANONYMOUS_SHARE ? undefined : callers[Math.floor(random() * callers.length)];
    const operation = drawOperation(random);
    const variables = operation.variables(random, caller?.sub);
    shares.set(operation.name, (shares.get(operation.name) ?? 0) + 1);
    const body = JSON.stringify({ query: operation.query, operationName: operation.name, variables });
    // Requests repeat (as real ones do): each distinct body's answer is computed once.
    let expected = answers.get(body);
    if (expected === undefined) answers.set(body, (expected = JSON.stringify(operation.expected(variables))));
    requests.push({
      operation: operation.name,
      body,
      headers: caller ? { authorization: caller.authorization } : {},
      expected,
    });
  }
  const mix = MIX.map(({ name }) => `${name} ${((100 * (shares.get(name) ?? 0)) / VARIED_REQUESTS).toFixed(0)}%`);
  const distinct = new Set(requests.map((r) => `${r.headers.authorization ?? ''}\n${r.body}`)).size;
  return {
    name: 'varied',
    description:
      `${mix.join(', ')}; ${SIGNED_IN_CALLERS} signed-in callers (tokens of ${SEED_USERS} users), ` +
      `${(ANONYMOUS_SHARE * 100).toFixed(0)}% anonymous; ${distinct} distinct requests of ${VARIED_REQUESTS}`,
    requests,
    callers: SIGNED_IN_CALLERS + 1,
  };
}

/** Where Edgeway's per-request trace id begins, after an answer's data. */
export const TRACE_ID_PREFIX = ',"extensions":{"traceId":"';
/** How an answer serialized in selection order begins. */
export const DATA_PREFIX = '{"data":';

/**
 * Whether a GraphQL answer carries exactly the expected data and no errors. An answer serialized
 * in selection order is recognised by comparing it in place, without copying it (the load
 * generator checks every answer, some of them 87 kB); a per-request trace id at the very end
 * (Edgeway's `extensions.traceId`) does not make an answer different.
 */
export function answerMatches(answer: string, expected: string): boolean {
  const cut = answer.indexOf(TRACE_ID_PREFIX, Math.max(0, answer.length - 80));
  const end = cut > 0 ? cut : answer.length - 1;
  if (
    end === DATA_PREFIX.length + expected.length &&
    answer.startsWith(DATA_PREFIX) &&
    answer.startsWith(expected, DATA_PREFIX.length) &&
    (cut > 0 || answer[end] === '}')
  ) {
    return true;
  }
  try {
    const parsed = JSON.parse(cut > 0 ? `${answer.slice(0, cut)}}` : answer) as { data?: unknown; errors?: unknown };
    return parsed.errors === undefined && JSON.stringify(parsed.data) === expected;
  } catch {
    return false;
  }
}
