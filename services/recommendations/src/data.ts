import type { Recommendation } from './client.js';

/** A ranked list, best first. */
export type Ranking = readonly Recommendation[];

export interface RecommendationData {
  /** user id -> picks for that user. */
  users: ReadonlyMap<string, Ranking>;
  /** upc -> products bought or viewed with it (never the product itself). */
  related: ReadonlyMap<string, Ranking>;
}

function ranking(pairs: ReadonlyArray<readonly [string, number]>): Ranking {
  return pairs.map(([upc, score]) => ({ upc, score }));
}

/**
 * Seed picks over users "1".."6" and products "1".."12", stated as data rather than computed so
 * that screens and tests can rely on the same order on every start.
 */
// one ranking per line reads as a table
// prettier-ignore
export const SEED_RECOMMENDATIONS: RecommendationData = {
  users: new Map([
    ['1', ranking([['2', 0.97], ['5', 0.91], ['7', 0.84], ['10', 0.78], ['3', 0.66], ['12', 0.52]])],
    ['2', ranking([['4', 0.95], ['1', 0.88], ['9', 0.81], ['11', 0.63]])],
    ['3', ranking([['6', 0.96], ['8', 0.9], ['2', 0.87], ['12', 0.75], ['1', 0.7], ['4', 0.58], ['10', 0.44]])],
    ['4', ranking([['3', 0.93], ['11', 0.86], ['5', 0.79], ['9', 0.71], ['6', 0.6]])],
    ['5', ranking([['12', 0.98], ['10', 0.92], ['7', 0.85], ['1', 0.77], ['8', 0.69], ['2', 0.61], ['4', 0.5], ['9', 0.41]])],
    ['6', ranking([['9', 0.94], ['3', 0.83], ['6', 0.72], ['11', 0.65]])],
  ]),
  related: new Map([
    ['1', ranking([['2', 0.92], ['3', 0.88], ['4', 0.71], ['6', 0.55]])],
    ['2', ranking([['1', 0.9], ['5', 0.82], ['3', 0.64]])],
    ['3', ranking([['1', 0.95], ['4', 0.8], ['12', 0.62], ['2', 0.5], ['8', 0.41]])],
    ['4', ranking([['3', 0.89], ['1', 0.77], ['6', 0.6]])],
    ['5', ranking([['2', 0.91], ['10', 0.84], ['7', 0.73], ['12', 0.58], ['9', 0.46], ['1', 0.35]])],
    ['6', ranking([['8', 0.87], ['4', 0.7], ['1', 0.52], ['11', 0.4]])],
    ['7', ranking([['5', 0.93], ['10', 0.81], ['9', 0.67]])],
    ['8', ranking([['6', 0.9], ['11', 0.79], ['12', 0.68], ['3', 0.55]])],
    ['9', ranking([['7', 0.86], ['5', 0.74], ['10', 0.63], ['2', 0.49], ['11', 0.38]])],
    ['10', ranking([['5', 0.94], ['7', 0.83], ['9', 0.7]])],
    ['11', ranking([['8', 0.88], ['6', 0.76], ['3', 0.61], ['12', 0.47]])],
    ['12', ranking([['3', 0.92], ['8', 0.85], ['5', 0.72], ['10', 0.59], ['1', 0.44]])],
  ]),
};

/** The best `limit` entries, best first, whatever order the source keeps. */
export function top(list: Ranking, limit: number): Recommendation[] {
  return [...list].sort((a, b) => b.score - a.score).slice(0, limit);
}
