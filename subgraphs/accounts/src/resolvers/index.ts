import type { Resolvers } from '../__generated__/resolvers.js';
import { Query } from './Query.js';
import { User } from './User.js';

export const resolvers: Resolvers = { Query, User };
