import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';

/** What a client's operation may be, before anything runs (docs/contract.md §6, OPERATION_LIMIT_EXCEEDED). */
export interface OperationLimitOptions {
  /** Deepest field selection, fragments flattened (the benchmark's TestQuery is 8). @default 10 */
  maxDepth: number;
  /** Aliased fields per operation (`__typename` aliases are free). @default 15 */
  maxAliases: number;
  /** Lexical tokens per document. @default 1000 */
  maxTokens: number;
  /** Directives per operation. @default 50 */
  maxDirectives: number;
  /** Estimated cost (graphql-armor's model: fields weighted by depth, lists by `first`; the benchmark's TestQuery is about 650). @default 5000 */
  maxCost: number;
  /** Hides "Did you mean ...?" field suggestions. */
  production: boolean;
}

export interface OperationLimits<C extends BaseContext> {
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  plugins: ApolloServerPlugin<C>[];
}

export const LIMIT_CODE = 'OPERATION_LIMIT_EXCEEDED';

/** Reports a limit as a validation error whose original carries the catalog code (see maskError). */
const report = (context: ValidationContext | null, error: GraphQLError) => {
  context?.reportError(
    new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: LIMIT_CODE } }),
  );
};

/** graphql-js's own message when `maxTokens` stops the parser (its "more that" typo included). */
const TOKEN_LIMIT = /Document contains more th(?:at|an) \d+ tokens/;
export const isTokenLimitMessage = (message: string) => TOKEN_LIMIT.test(message);

/**
 * Operation limits from graphql-armor (depth, aliases, directives, cost; suggestions blocked in
 * production) as Apollo validation rules, checked once per distinct document (Apollo caches
 * validated documents). Tokens are counted by graphql-js's parser itself (`maxTokens`): armor's
 * token plugin re-parses every document through a proxied lexer and throws from a hook that
 * Apollo answers with 500; the parser option costs nothing and stops at the limit.
 */
export function operationLimits<C extends BaseContext>(options: OperationLimitOptions): OperationLimits<C> {
  const rejection = { onReject: [report], propagateOnRejection: false };
  const armor = new ApolloArmor({
    maxDepth: { n: options.maxDepth, flattenFragments: true, ...rejection },
    maxAliases: { n: options.maxAliases, ...rejection },
    maxDirectives: { n: options.maxDirectives, ...rejection },
    costLimit: { maxCost: options.maxCost, flattenFragments: true, ...rejection },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: options.production },
  });
  const { validationRules, plugins } = armor.protect();
  return {
    validationRules,
    parseOptions: { maxTokens: options.maxTokens },
    plugins: plugins as ApolloServerPlugin<C>[],
  };
}
