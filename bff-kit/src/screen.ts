import { orUnavailable } from '@edgeway/platform';
import type { GraphQLResolveInfo } from 'graphql';
import type { BffContext } from './context.js';
import { pathOf } from './fields.js';
import { guessScreen } from './guess.js';
import type { RecommendationsKey } from './loaders/recommendations.js';
import { settle, throwIfPicksFailed, usablePicks } from './stale.js';

/** A card a loader answered: the card, the failure that explains its absence, or null (no such product). */
export type Loaded<C> = C | Error | null;

/**
 * What a screen that shows products and the caller's picks declares; `loadScreen` does the rest.
 * `M` is what the screen builds from its gateway answer, `C` a product card.
 */
export interface ScreenPlan<A, M, C> {
  /** The screen's name, in its prefetch metrics (`edgeway_prefetch_total{prefetch="<name>.<shown>"}`). */
  name: string;
  /** What the screen shows besides picks (`topProducts`, `orders`), kept as the next visit's guess. */
  shown: string;
  /** Whose screen it is, as far as what it shows goes (the page size, the user...). */
  key: string;
  /** The caller's picks it shows (the picks loader's key); undefined when it shows none. */
  picks: RecommendationsKey | undefined;
  /** Whether the operation selects a price: the screen then makes ONE pricing call. */
  withPrices: boolean;
  /** Sends the screen's ONE gateway request; `expected` are the picks the caller was last given, to bring their cards along. */
  query(expected: readonly string[]): Promise<A>;
  /**
   * The screen's model from the answer, and the upcs of the products it shows (`shown`): priced
   * in the screen's one pricing call, and remembered as the next visit's guess when `complete`
   * (an answer a subgraph failure cut short is no guess). It runs inside `orUnavailable`: what
   * it throws (a failed dependency) makes the screen null with DEPENDENCY_UNAVAILABLE.
   */
  read(answer: A): { model: M; shown: readonly string[]; complete: boolean };
  /** The cards of the picks, from the BFF's product loader (the screen query's are memoized there). */
  cards(upcs: readonly string[]): Promise<ReadonlyArray<Loaded<C>>>;
}

/** A loaded screen: its model, and its picks as cards (a function, so the field's fallback catches what it throws). */
export interface LoadedScreen<M, C> {
  model: M;
  picks(): Promise<C[]>;
}

/**
 * The cards to serve for recommendations: they throw what failed (a card's gateway failure, or
 * the recommendations failure, with the cards built from the last good picks travelling along
 * so the field's fallback serves them as STALE).
 */
export function servePicks<C>(settled: PromiseSettledResult<unknown>, cards: ReadonlyArray<Loaded<C>>): () => C[] {
  return () => {
    const failure = cards.find((card) => card instanceof Error);
    if (failure) throw failure;
    const found = cards.filter((card): card is C => card !== null && !(card instanceof Error));
    throwIfPicksFailed(settled, found);
    return found;
  };
}

/**
 * A screen's choreography, once: the picks and the screen query start together; the screen's one
 * pricing call starts beside them on what it showed last time (`guessScreen`); the fresh answers
 * say whether the guess held; the picks' cards the query did not bring are fetched, and
 * everything on the screen not priced yet is priced, in one more call at most.
 *
 * When the guess priced everything the screen query shows, the screen is served as soon as that
 * answer is read, and only its picks wait for recommendations: the rest of the screen's fields
 * resolve while the REST calls are in flight instead of after the last of them. Otherwise it
 * waits for the picks, so that what is left is priced in ONE call.
 */
export async function loadScreen<A, M, C>(
  ctx: Pick<BffContext, 'degradation' | 'lastKnown' | 'loaders'>,
  info: GraphQLResolveInfo,
  plan: ScreenPlan<A, M, C>,
): Promise<LoadedScreen<M, C>> {
  const picks = settle(plan.picks ? ctx.loaders.picks.load(plan.picks) : Promise.resolve([]));
  const guess = await guessScreen(ctx, plan);
  const answer = settle(plan.query(guess.picks ?? []));
  const { model, shown, complete } = await orUnavailable(ctx.degradation, pathOf(info), async () => {
    const settled = await answer;
    if (settled.status === 'rejected') throw settled.reason;
    return plan.read(settled.value);
  });
  if (complete) guess.shown?.check(shown);

  const served = (async () => {
    const settledPicks = await picks;
    const pickedUpcs = usablePicks(settledPicks).map((pick) => pick.upc);
    guess.checkPicks(pickedUpcs);
    const [cards] = await Promise.all([
      plan.cards(pickedUpcs),
      plan.withPrices ? ctx.loaders.prices.loadMany([...shown, ...pickedUpcs]) : [],
      guess.priced,
    ]);
    return servePicks(settledPicks, cards);
  })();
  if (!plan.withPrices || guess.covers(shown)) {
    // Its rejection (none is expected: every step settles) reaches whoever asks for the picks;
    // a screen that shows none never asks.
    served.catch(() => undefined);
    return { model, picks: () => served.then((serve) => serve()) };
  }
  const serve = await served;
  return { model, picks: async () => serve() };
}
