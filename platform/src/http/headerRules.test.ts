import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  compileRequestRules,
  compileResponseRules,
  propagateHeadersEnv,
  requestHeaderRule,
  responseHeaderRule,
} from './headerRules.js';

const rules = (input: unknown[]) => z.array(requestHeaderRule).parse(input);

describe('request header rules', () => {
  it('propagate by name, rename, default; insert; remove, in order', () => {
    const map = compileRequestRules(
      rules([
        { propagate: { named: 'Accept-Language' } },
        { propagate: { named: 'x-client-locale', rename: 'x-locale', default: 'en' } },
        { propagate: { matching: '^x-tenant-' } },
        { insert: { name: 'x-source', value: 'edge' } },
        { remove: { named: 'x-tenant-debug' } },
      ]),
    );
    expect(map({ 'accept-language': 'fr', 'x-tenant-id': 'acme', 'x-tenant-debug': '1', 'x-other': 'no' })).toEqual({
      'accept-language': 'fr',
      'x-locale': 'en',
      'x-tenant-id': 'acme',
      'x-source': 'edge',
    });
    expect(map({ 'x-client-locale': 'de' })).toEqual({ 'x-locale': 'de', 'x-source': 'edge' });
  });

  it('a pattern never matches credentials, hop-by-hop headers or the edge’s own', () => {
    const map = compileRequestRules(rules([{ propagate: { matching: '.*' } }]));
    const out = map({
      authorization: 'Bearer t',
      cookie: 's=1',
      connection: 'keep-alive, x-listed',
      'x-listed': 'hop',
      'keep-alive': '5',
      'proxy-authorization': 'p',
      te: 'trailers',
      upgrade: 'h2c',
      host: 'edge',
      'content-length': '10',
      'content-type': 'text/plain',
      'x-request-id': 'forged',
      'x-edgeway-credential': 'forged',
      'accept-encoding': 'gzip, br',
      'if-none-match': '"abc"',
      range: 'bytes=0-10',
      'x-fine': 'yes',
    });
    expect(out).toEqual({ 'x-fine': 'yes' });
  });

  it('authorization and cookie pass only when named', () => {
    const map = compileRequestRules(
      rules([{ propagate: { named: 'authorization' } }, { propagate: { named: 'cookie' } }]),
    );
    expect(map({ authorization: 'Bearer t', cookie: 's=1' })).toEqual({ authorization: 'Bearer t', cookie: 's=1' });
  });

  it('a header the client lists in Connection is hop-by-hop even when named', () => {
    const map = compileRequestRules(rules([{ propagate: { named: 'x-a' } }]));
    expect(map({ connection: 'x-a', 'x-a': '1' })).toEqual({});
  });

  it('joins repeated client headers with commas', () => {
    expect(compileRequestRules(rules([{ propagate: { named: 'x-a' } }]))({ 'x-a': ['1', '2'] })).toEqual({
      'x-a': '1, 2',
    });
  });

  it('refuses rules that name hop-by-hop or reserved headers, bad patterns and bad values', () => {
    for (const rule of [
      { propagate: { named: 'transfer-encoding' } },
      { propagate: { named: 'x-a', rename: 'host' } },
      { propagate: { named: 'proxy-authorization' } },
      { insert: { name: 'x-request-id', value: 'x' } },
      { insert: { name: 'x-edgeway-anything', value: 'x' } },
      { insert: { name: 'bad name', value: 'x' } },
      { insert: { name: 'x-a', value: 'line\nbreak' } },
      { propagate: { matching: '(' } },
      { remove: { named: 'connection' } },
      { propagate: { named: 'accept-encoding' } },
      { propagate: { named: 'if-none-match' } },
      { propagate: { named: 'x-a', extra: 1 } },
    ]) {
      expect(requestHeaderRule.safeParse(rule).success, JSON.stringify(rule)).toBe(false);
    }
  });
});

describe('response header rules', () => {
  it('picks the named headers, every Set-Cookie on its own', () => {
    const headers = new Headers();
    headers.append('set-cookie', 'a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT');
    headers.append('set-cookie', 'b=2');
    headers.set('x-a', '1');
    headers.set('x-b', '2');
    const pick = compileResponseRules(
      z.array(responseHeaderRule).parse([{ propagate: { named: 'Set-Cookie' } }, { propagate: { named: 'x-a' } }]),
    );
    expect(pick?.(headers)).toEqual([
      ['set-cookie', 'a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT'],
      ['set-cookie', 'b=2'],
      ['x-a', '1'],
    ]);
    expect(compileResponseRules([])).toBeUndefined();
  });
});

describe('PROPAGATE_HEADERS', () => {
  it('is a comma list of names, each propagated as is', () => {
    expect(propagateHeadersEnv.parse(' Accept-Language, x-tenant-id ,')).toEqual([
      { propagate: { named: 'accept-language' } },
      { propagate: { named: 'x-tenant-id' } },
    ]);
  });

  it('refuses hop-by-hop and reserved names, naming them', () => {
    const result = propagateHeadersEnv.safeParse('connection,x-request-id,x-ok');
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((issue) => issue.message).join('\n');
    expect(messages).toMatch(/connection: is a hop-by-hop header/);
    expect(messages).toMatch(/x-request-id: is set by the edge itself/);
  });
});
