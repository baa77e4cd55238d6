import { asError, type CallOptions, type FromGateway, GATEWAY, traceBatch, withData } from '@edgeway/bff-kit';
import type { GraphQLClient } from '@edgeway/platform';
import DataLoader from 'dataloader';
import { WebUserReviewsDocument, type WebUserReviewsQuery } from '../__generated__/gateway.js';

export type UserReviewsModel = NonNullable<WebUserReviewsQuery['user']> & FromGateway;

/**
 * A user's reviews, for pages that walk from a review to its author's other reviews. The API
 * has no batch lookup of users, so distinct users go out side by side. Null for an unknown user.
 */
export function createUserReviewsLoader(gateway: GraphQLClient, call: CallOptions) {
  return new DataLoader<string, UserReviewsModel | null>(
    (ids) => {
      traceBatch(GATEWAY, ids);
      return Promise.all(
        ids.map(async (id) => {
          try {
            const { data, errors } = withData(await gateway.execute(WebUserReviewsDocument, { id }, call));
            return data.user && { ...data.user, origin: { errors, path: ['user'], dependency: GATEWAY } };
          } catch (error) {
            return asError(error);
          }
        }),
      );
    },
    { name: 'gateway.userReviews' },
  );
}
