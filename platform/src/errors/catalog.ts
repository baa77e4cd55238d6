import { GraphQLError } from 'graphql';

/**
 * The one catalog of error codes clients may see (docs/contract.md §6), with the HTTP status a
 * transport answers when the error ends the whole request. Pinned by catalog.test.ts.
 */
export const ERROR_CATALOG = {
  UNAUTHENTICATED: { status: 401, message: 'Authentication required or token invalid' },
  FORBIDDEN: { status: 403, message: 'Not allowed' },
  BAD_USER_INPUT: { status: 400, message: 'Invalid input' },
  GRAPHQL_PARSE_FAILED: { status: 400, message: 'The query could not be parsed' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, message: 'The query is not valid for this schema' },
  PERSISTED_QUERY_NOT_FOUND: { status: 200, message: 'PersistedQueryNotFound' },
  PERSISTED_QUERY_NOT_ALLOWED: { status: 400, message: 'Only persisted operations are allowed' },
  OPERATION_LIMIT_EXCEEDED: { status: 400, message: 'The operation exceeds a limit' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  REQUEST_HEADER_FIELDS_TOO_LARGE: { status: 431, message: 'The request headers are too large' },
  REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time' },
  RATE_LIMITED: { status: 429, message: 'Too many requests' },
  DEPENDENCY_UNAVAILABLE: { status: 200, message: 'A dependency is unavailable' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  INTERNAL_SERVER_ERROR: { status: 500, message: 'Internal server error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOG, value);
}

export function statusOf(code: ErrorCode): number {
  return ERROR_CATALOG[code].status;
}

/**
 * An error meant for the client: its code is from the catalog and its message is safe to show.
 * It is a GraphQLError so that resolvers can throw it as is. Its `status` is for the transport
 * when it ends the whole request (the HTTP shell's error handler); a field error inside a
 * GraphQL answer leaves the status at 200, so it carries no `extensions.http`.
 */
export class AppError extends GraphQLError {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(
    code: ErrorCode,
    message: string = ERROR_CATALOG[code].message,
    options: { path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, {
      path: options.path,
      originalError: options.cause instanceof Error ? options.cause : undefined,
      extensions: { ...options.extensions, code },
    });
    this.name = 'AppError';
    this.code = code;
    this.status = statusOf(code);
  }
}

/** The body a REST service answers for an error: `{code, message}`. */
export function renderRestError(error: AppError): { code: ErrorCode; message: string } {
  return { code: error.code, message: error.message };
}

/** The body a GraphQL endpoint answers when an error ends the request before execution. */
export function renderGraphQLErrorBody(error: AppError): {
  errors: Array<{ message: string; extensions: Record<string, unknown> }>;
} {
  return { errors: [{ message: error.message, extensions: { ...error.extensions } }] };
}
