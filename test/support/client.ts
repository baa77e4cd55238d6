import { inject } from 'vitest';
import type { ServiceName } from '../../scripts/system.js';

export interface GraphQLAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
    extensions?: Record<string, unknown>;
  };
}

export const url = (service: ServiceName): string => inject('system')[service];

/** POSTs a GraphQL operation over real HTTP. */
export async function graphql<T = Record<string, unknown>>(
  service: ServiceName,
  query: string,
  options: { variables?: Record<string, unknown>; token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLAnswer<T>> {
  const response = await fetch(`${url(service)}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLAnswer<T>['body'],
  };
}

/** A real token from the identity service. */
export async function tokenFor(sub: string): Promise<string> {
  const response = await fetch(`${url('identity')}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub }),
  });
  if (!response.ok) throw new Error(`identity answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function restJson<T>(service: ServiceName, path: string): Promise<T> {
  const response = await fetch(`${url(service)}${path}`);
  if (!response.ok) throw new Error(`${service} ${path} answered ${response.status}`);
  return (await response.json()) as T;
}
