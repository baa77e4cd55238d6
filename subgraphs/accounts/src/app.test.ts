import { createLogger } from '@edgeway/platform';
import { createTestCredentials } from '@edgeway/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { USERS } from './data.js';
import { createSeedStore, type UserStore } from './store.js';

const lookups: string[][] = [];
const seed = createSeedStore();
const countingStore: UserStore = {
  all: seed.all,
  byIds: (ids) => {
    lookups.push([...ids]);
    return seed.byIds(ids);
  },
};

const credentials = createTestCredentials('accounts');
const server = await buildApp({
  credentials: credentials.verifier,
  logger: createLogger({ service: 'accounts', level: 'silent' }),
  production: false,
  store: countingStore,
});
beforeAll(() => server.app.ready());
afterAll(() => server.app.close());

async function query(body: { query: string; variables?: Record<string, unknown> }, userId?: string) {
  const response = await server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...(await credentials.headers(body, userId)) },
    payload: body,
  });
  expect(response.statusCode).toBe(200);
  return response.json() as { data?: Record<string, never>; errors?: unknown[] };
}

describe('accounts subgraph', () => {
  it('answers /healthz', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
  });

  it('lists the six seed users', async () => {
    const { data } = await query({ query: '{ users { id name username birthday } }' });
    expect(data?.users).toEqual(USERS);
    expect(USERS.map((u) => u.username)).toEqual(['ada', 'alan', 'grace', 'edsger', 'barbara', 'donald']);
  });

  it('answers me from the identity header, null when anonymous', async () => {
    expect((await query({ query: '{ me { id username } }' }, '3')).data).toEqual({
      me: { id: '3', username: 'grace' },
    });
    expect((await query({ query: '{ me { id } }' })).data).toEqual({ me: null });
    expect((await query({ query: '{ me { id } }' }, '999')).data).toEqual({ me: null });
  });

  it('finds a user by id, null for an unknown id', async () => {
    const { data } = await query({
      query: 'query ($a: ID!, $b: ID!) { a: user(id: $a) { name } b: user(id: $b) { name } }',
      variables: { a: '1', b: 'nope' },
    });
    expect(data).toEqual({ a: { name: 'Ada Lovelace' }, b: null });
  });

  it('resolves User references in one batched lookup', async () => {
    lookups.length = 0;
    const representations = ['6', '1', 'missing', '4'].map((id) => ({ __typename: 'User', id }));
    const { data, errors } = await query({
      query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name username birthday } } }',
      variables: { r: representations },
    });
    expect(errors).toBeUndefined();
    expect(data?._entities).toEqual([USERS[5], USERS[0], null, USERS[3]]);
    expect(lookups).toEqual([['6', '1', 'missing', '4']]);
  });

  it('does not share a DataLoader cache between requests', async () => {
    lookups.length = 0;
    await query({ query: '{ user(id: "2") { id } }' });
    await query({ query: '{ user(id: "2") { id } }' });
    expect(lookups).toEqual([['2'], ['2']]);
  });
});
