import type { Resolvers } from '../__generated__/resolvers.js';
import { Order } from './Order.js';
import { OrderItem } from './OrderItem.js';
import { Query } from './Query.js';
import { User } from './User.js';

export const resolvers: Resolvers = { Query, User, Order, OrderItem };
