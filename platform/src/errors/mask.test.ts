import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../resilience/errors.js';
import { AppError } from './catalog.js';
import { maskError } from './mask.js';

// What a gateway hands its formatError for a subgraph's error: the subgraph's own message and
// code, the gateway's serviceName, and whatever else the subgraph put in its extensions.
const fromSubgraph = {
  message: 'Only the user may read their orders',
  path: ['me', 'orders'],
  extensions: {
    code: 'FORBIDDEN',
    serviceName: 'orders',
    response: { status: 400, body: 'postgres://app:hunter2@db.internal:5432/orders' },
    exception: { stacktrace: ['at Object.<anonymous> (/srv/orders/src/db.ts:12:7)'] },
    internalHost: 'orders.svc.cluster.local:4005',
  },
};

describe('maskError', () => {
  it('keeps in production only the code, the message, the path and public extensions', () => {
    const masked = maskError(fromSubgraph, { production: true });
    expect(masked).toEqual({
      message: 'Only the user may read their orders',
      path: ['me', 'orders'],
      extensions: { code: 'FORBIDDEN', dependency: 'orders' },
    });
  });

  it('drops upstream bodies and exceptions in development too, keeping what helps a developer', () => {
    const masked = maskError(fromSubgraph, { production: false });
    expect(masked.extensions).toEqual({
      code: 'FORBIDDEN',
      serviceName: 'orders',
      internalHost: 'orders.svc.cluster.local:4005',
    });
    expect(JSON.stringify(masked)).not.toContain('hunter2');
  });

  it('answers an unknown code with the catalog message in production, and no address in any mode', () => {
    const unknown = { message: 'connect ECONNREFUSED 10.0.3.7:4005 (http://orders:4005/graphql)', extensions: {} };
    expect(maskError(unknown, { production: true })).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    const development = maskError(unknown, { production: false });
    expect(development.message).not.toMatch(/10\.0\.3\.7|orders:4005/);
  });

  it('turns an upstream failure into DEPENDENCY_UNAVAILABLE naming the dependency and reason only', () => {
    const cause = new UpstreamError('reviews', 'UPSTREAM_ERROR', 'answered more than 4194304 bytes');
    const error = new GraphQLError('boom', { originalError: cause, path: ['topProducts', 0, 'reviews'] });
    expect(maskError({ message: 'boom', path: ['topProducts', 0, 'reviews'] }, { production: true }, error)).toEqual({
      message: 'reviews is unavailable',
      path: ['topProducts', 0, 'reviews'],
      extensions: { code: 'DEPENDENCY_UNAVAILABLE', dependency: 'reviews', reason: 'UPSTREAM_ERROR' },
    });
  });

  it('keeps a catalog error as thrown, with its public extensions', () => {
    const error = new AppError('RATE_LIMITED', undefined, { extensions: { retryAfter: 3 } });
    const formatted = { message: error.message, extensions: { ...error.extensions } };
    expect(maskError(formatted, { production: true }, error).extensions).toEqual({
      code: 'RATE_LIMITED',
      retryAfter: 3,
    });
  });
});
