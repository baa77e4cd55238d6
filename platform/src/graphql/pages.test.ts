import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/catalog.js';
import { assertKeyCount, MAX_PAGE_SIZE, nonNegativeFirst, PAGE_LIMIT_MESSAGES, pageSize } from './pages.js';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof AppError ? { code: error.code, message: error.message } : error;
  }
  return undefined;
};

describe('page limits', () => {
  it('are one number and one wording each, for subgraphs and BFFs alike', () => {
    expect(MAX_PAGE_SIZE).toBe(100);
    expect(PAGE_LIMIT_MESSAGES.pageSize()).toBe('first must be between 0 and 100');
    expect(PAGE_LIMIT_MESSAGES.negative).toBe('first must not be negative');
    expect(PAGE_LIMIT_MESSAGES.keys()).toBe('at most 100 keys per call');
  });

  it('pageSize: the fallback for null, the size within 0..max, BAD_USER_INPUT outside', () => {
    expect(pageSize(null, 20)).toBe(20);
    expect(pageSize(undefined, 5)).toBe(5);
    expect(pageSize(0, 5)).toBe(0);
    expect(pageSize(MAX_PAGE_SIZE, 5)).toBe(MAX_PAGE_SIZE);
    for (const bad of [-1, MAX_PAGE_SIZE + 1, 1.5]) {
      expect(refusal(() => pageSize(bad, 5))).toEqual({
        code: 'BAD_USER_INPUT',
        message: 'first must be between 0 and 100',
      });
    }
    expect(refusal(() => pageSize(11, 5, 10))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'first must be between 0 and 10',
    });
  });

  it('nonNegativeFirst: null for all, BAD_USER_INPUT below 0', () => {
    expect(nonNegativeFirst(null)).toBeNull();
    expect(nonNegativeFirst(undefined)).toBeNull();
    expect(nonNegativeFirst(0)).toBe(0);
    expect(nonNegativeFirst(1000)).toBe(1000);
    expect(refusal(() => nonNegativeFirst(-1))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'first must not be negative',
    });
  });

  it('assertKeyCount: at most max keys', () => {
    expect(refusal(() => assertKeyCount(Array.from({ length: MAX_PAGE_SIZE })))).toBeUndefined();
    expect(refusal(() => assertKeyCount(Array.from({ length: MAX_PAGE_SIZE + 1 })))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'at most 100 keys per call',
    });
  });
});
