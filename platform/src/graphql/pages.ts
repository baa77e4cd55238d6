import { AppError } from '../errors/catalog.js';

/**
 * The most items one list field answers, and the most keys one by-key field takes, for every
 * subgraph and BFF alike: a BFF never allows what the subgraph behind it refuses, and both say
 * so in the same words.
 */
export const MAX_PAGE_SIZE = 100;

/** The one wording of each page limit, for subgraphs and BFFs alike. */
export const PAGE_LIMIT_MESSAGES = {
  /** A page size (`first`) outside 0..max. */
  pageSize: (max: number = MAX_PAGE_SIZE) => `first must be between 0 and ${max}`,
  /** A `first` that only has a lower bound (a list that is short by nature: reviews, orders). */
  negative: 'first must not be negative',
  /** Too many keys for one by-key call. */
  keys: (max: number = MAX_PAGE_SIZE) => `at most ${max} keys per call`,
} as const;

/** A page size argument: `fallback` when null, BAD_USER_INPUT outside 0..max. */
export function pageSize(value: number | null | undefined, fallback: number, max = MAX_PAGE_SIZE): number {
  const size = value ?? fallback;
  if (!Number.isInteger(size) || size < 0 || size > max) {
    throw new AppError('BAD_USER_INPUT', PAGE_LIMIT_MESSAGES.pageSize(max));
  }
  return size;
}

/** A `first` with only a lower bound: null stays null (all), a negative one is BAD_USER_INPUT. */
export function nonNegativeFirst(value: number | null | undefined): number | null {
  if (value == null) return null;
  if (value < 0) throw new AppError('BAD_USER_INPUT', PAGE_LIMIT_MESSAGES.negative);
  return value;
}

/** Refuses more than `max` keys for one call with BAD_USER_INPUT. */
export function assertKeyCount(keys: readonly unknown[], max = MAX_PAGE_SIZE): void {
  if (keys.length > max) throw new AppError('BAD_USER_INPUT', PAGE_LIMIT_MESSAGES.keys(max));
}
