import { type FromGateway, pathOf, required } from '@edgeway/bff-kit';
import { fieldOf, withFallback } from '@edgeway/platform';
import type { WebReviewFragment } from '../../__generated__/gateway.js';
import type { ReviewResolvers, UserResolvers } from '../../__generated__/resolvers.js';

interface GatewayUser {
  id: string;
  name: string | null;
  username: string | null;
}
type GatewayReview = Pick<WebReviewFragment, 'id' | 'body' | 'rating'>;

/** A user; `reviews` is set when the page's query brought them (null: they failed), else they are loaded. */
export interface UserModel extends GatewayUser, FromGateway {
  reviews?: ReviewModel[] | null;
}

export interface ReviewModel extends GatewayReview {
  author: UserModel | null;
}

export function userModel(
  user: GatewayUser,
  origin: FromGateway['origin'],
  reviews?: ReadonlyArray<GatewayReview | null> | null,
) {
  const model: UserModel = { id: user.id, name: user.name, username: user.username, origin };
  if (reviews !== undefined) model.reviews = reviews && byAuthor(reviews, model);
  return model;
}

// The reviews a user wrote are by that user: their author needs no lookup.
function byAuthor(reviews: ReadonlyArray<GatewayReview | null>, author: UserModel): ReviewModel[] {
  return reviews.flatMap((review) => (review ? [{ ...review, author }] : []));
}

/** A review with its author, as product reviews bring it; `origin` is where the review sits. */
export function reviewModel(review: WebReviewFragment, origin: FromGateway['origin']): ReviewModel {
  const { author, ...rest } = review;
  return { ...rest, author: author && userModel(author, { ...origin, path: [...origin.path, 'author'] }) };
}

export const User: UserResolvers = {
  name: (user, _args, ctx, info) => required(user, 'name', ctx, info),
  username: (user, _args, ctx, info) => required(user, 'username', ctx, info),
  reviews: (user, _args, ctx, info) =>
    withFallback(ctx.degradation, { path: pathOf(info), fallback: 'EMPTY' }, [], async () => {
      if (user.reviews !== undefined) return fieldOf(user, 'reviews', user.origin) ?? [];
      const found = await ctx.loaders.userReviews.load(user.id);
      const reviews = found && fieldOf(found, 'reviews', found.origin);
      return byAuthor(reviews ?? [], user);
    }),
};

export const Review: ReviewResolvers = {
  body: (review) => review.body ?? '',
};
