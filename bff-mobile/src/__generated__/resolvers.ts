import type { GraphQLResolveInfo } from 'graphql';
import type { HomeModel, ViewerModel } from '../features/home/home.js';
import type { ProductModel } from '../features/common/product.js';
import type { ProductScreenModel, ReviewSnippetModel } from '../features/product/product.js';
import type { OrderDetailModel, OrderLineModel } from '../features/orderDetail/orderDetail.js';
import type { BffContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
};

export type HomeScreen = {
  __typename?: 'HomeScreen';
  /** Picks for the signed-in user from the recommendations service; [] when it is unavailable (degraded) or the caller is anonymous. */
  recommended: Array<ProductCard>;
  /** The first `first` products of the catalog's topProducts, in that order. */
  topProducts: Array<ProductCard>;
  /** The signed-in user (accounts + orders subgraphs), null for anonymous callers. */
  viewer: Maybe<Viewer>;
};

export type OrderDetail = {
  __typename?: 'OrderDetail';
  id: Scalars['ID']['output'];
  /** In the order they were placed. */
  items: Array<OrderLine>;
  /** ISO 8601. */
  placedAt: Scalars['String']['output'];
  status: OrderStatus;
  /** What the order was charged, as recorded when it was placed: source is always LIST, never a live price. */
  total: Price;
};

export type OrderLine = {
  __typename?: 'OrderLine';
  /** The product as the catalog shows it now: its price is today's live price (LIST when pricing is unavailable). */
  product: ProductCard;
  quantity: Scalars['Int']['output'];
  /** What was paid per unit when the order was placed (source LIST). */
  unitPrice: Price;
};

export type OrderStatus =
  | 'CANCELLED'
  | 'DELIVERED'
  | 'PLACED'
  | 'SHIPPED';

export type Price = {
  __typename?: 'Price';
  /** Amount in minor units (cents). */
  amount: Scalars['Int']['output'];
  currency: Scalars['String']['output'];
  /** LIVE when it came from the pricing service, LIST when the catalog's list price stands in (pricing unavailable, or it has no price for this product). */
  source: PriceSource;
};

export type PriceSource =
  | 'LIST'
  | 'LIVE';

export type ProductCard = {
  __typename?: 'ProductCard';
  inStock: Maybe<Scalars['Boolean']['output']>;
  name: Scalars['String']['output'];
  price: Price;
  /** Mean review rating (1..5) over the product's reviews; null when it has none or reviews are unavailable. */
  rating: Maybe<Scalars['Float']['output']>;
  upc: Scalars['ID']['output'];
};

export type ProductScreen = {
  __typename?: 'ProductScreen';
  inStock: Maybe<Scalars['Boolean']['output']>;
  name: Scalars['String']['output'];
  price: Price;
  /** Mean review rating (1..5); null when it has none or reviews are unavailable. */
  rating: Maybe<Scalars['Float']['output']>;
  reviewCount: Maybe<Scalars['Int']['output']>;
  /** Estimated shipping cost in cents. */
  shippingEstimate: Maybe<Scalars['Int']['output']>;
  /** Newest first. */
  topReviews: Array<ReviewSnippet>;
  upc: Scalars['ID']['output'];
};


export type ProductScreenTopReviewsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type Query = {
  __typename?: 'Query';
  /** The home screen. Anonymous callers get viewer = null and recommended = []. */
  home: HomeScreen;
  /** One of the signed-in user's orders with its line items: null when no order has this id; FORBIDDEN when it is someone else's; UNAUTHENTICATED for anonymous callers; null with DEPENDENCY_UNAVAILABLE when the orders subgraph is unavailable. */
  orderDetail: Maybe<OrderDetail>;
  /** The product screen; null when no product has this upc. */
  product: Maybe<ProductScreen>;
};


export type QueryHomeArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryOrderDetailArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProductArgs = {
  upc: Scalars['ID']['input'];
};

export type ReviewSnippet = {
  __typename?: 'ReviewSnippet';
  /** The author's username. */
  author: Maybe<Scalars['String']['output']>;
  body: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  rating: Maybe<Scalars['Int']['output']>;
};

export type Viewer = {
  __typename?: 'Viewer';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** Orders of this user whose status is PLACED or SHIPPED. */
  openOrderCount: Maybe<Scalars['Int']['output']>;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  HomeScreen: ResolverTypeWrapper<HomeModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  OrderDetail: ResolverTypeWrapper<OrderDetailModel>;
  OrderLine: ResolverTypeWrapper<OrderLineModel>;
  OrderStatus: OrderStatus;
  Price: ResolverTypeWrapper<Price>;
  PriceSource: PriceSource;
  ProductCard: ResolverTypeWrapper<ProductModel>;
  ProductScreen: ResolverTypeWrapper<ProductScreenModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ReviewSnippet: ResolverTypeWrapper<ReviewSnippetModel>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Viewer: ResolverTypeWrapper<ViewerModel>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Boolean: Scalars['Boolean']['output'];
  Float: Scalars['Float']['output'];
  HomeScreen: HomeModel;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  OrderDetail: OrderDetailModel;
  OrderLine: OrderLineModel;
  Price: Price;
  ProductCard: ProductModel;
  ProductScreen: ProductScreenModel;
  Query: Record<PropertyKey, never>;
  ReviewSnippet: ReviewSnippetModel;
  String: Scalars['String']['output'];
  Viewer: ViewerModel;
};

export type HomeScreenResolvers<ContextType = BffContext, ParentType extends ResolversParentTypes['HomeScreen'] = ResolversParentTypes['HomeScreen']> = {
  recommended?: Resolver<Array<ResolversTypes['ProductCard']>, ParentType, ContextType>;
  topProducts?: Resolver<Array<ResolversTypes['ProductCard']>, ParentType, ContextType>;
  viewer?: Resolver<Maybe<ResolversTypes['Viewer']>, ParentType, ContextType>;
};

export type OrderDetailResolvers<ContextType = BffContext, ParentType extends ResolversParentTypes['OrderDetail'] = ResolversParentTypes['OrderDetail']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['OrderLine']>, ParentType, ContextType>;
  placedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Price'], ParentType, ContextType>;
};

export type OrderLineResolvers<ContextType = BffContext, ParentType extends ResolversParentTypes['OrderLine'] = ResolversParentTypes['OrderLine']> = {
  product?: Resolver<ResolversTypes['ProductCard'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  unitPrice?: Resolver<ResolversTypes['Price'], ParentType, ContextType>;
};

export type PriceResolvers<ContextType = BffContext, ParentType extends ResolversParentTypes['Price'] = ResolversParentTypes['Price']> = {
  amount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['PriceSource'], ParentType, ContextType>;
};

export type ProductCardResolvers<ContextType = BffContext, ParentType extends ResolversParentTypes['ProductCard'] = ResolversParentTypes['ProductCard']> = {
  inStock?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Price'], ParentType, ContextType>;
  rating?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  upc?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type ProductScreenResolvers<ContextType = BffContext, ParentType extends ResolversParentTypes['ProductScreen'] = ResolversParentTypes['ProductScreen']> = {
  inStock?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Price'], ParentType, ContextType>;
  rating?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  reviewCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  shippingEstimate?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  topReviews?: Resolver<Array<ResolversTypes['ReviewSnippet']>, ParentType, ContextType, RequireFields<ProductScreenTopReviewsArgs, 'first'>>;
  upc?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = BffContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  home?: Resolver<ResolversTypes['HomeScreen'], ParentType, ContextType, RequireFields<QueryHomeArgs, 'first'>>;
  orderDetail?: Resolver<Maybe<ResolversTypes['OrderDetail']>, ParentType, ContextType, RequireFields<QueryOrderDetailArgs, 'id'>>;
  product?: Resolver<Maybe<ResolversTypes['ProductScreen']>, ParentType, ContextType, RequireFields<QueryProductArgs, 'upc'>>;
};

export type ReviewSnippetResolvers<ContextType = BffContext, ParentType extends ResolversParentTypes['ReviewSnippet'] = ResolversParentTypes['ReviewSnippet']> = {
  author?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  rating?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type ViewerResolvers<ContextType = BffContext, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  openOrderCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = BffContext> = {
  HomeScreen?: HomeScreenResolvers<ContextType>;
  OrderDetail?: OrderDetailResolvers<ContextType>;
  OrderLine?: OrderLineResolvers<ContextType>;
  Price?: PriceResolvers<ContextType>;
  ProductCard?: ProductCardResolvers<ContextType>;
  ProductScreen?: ProductScreenResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ReviewSnippet?: ReviewSnippetResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
};

