import { readFileSync } from 'node:fs';
import { serialize } from 'node:v8';
import { ApolloGateway } from '@apollo/gateway';
import { parse, visit } from 'graphql';
import { describe, expect, it } from 'vitest';
import { keepOneByteNames } from './oneByteNames.js';

/** V8's serializer tags a one-byte string '"' and a two-byte one 'c'. */
const isOneByte = (value: string) => serialize(value)[2] === 0x22;
/** The string V8's table holds for this content (property keys always come from it). */
const tableCopy = (value: string) => Object.keys({ [value]: true })[0] ?? '';

describe('one-byte names', () => {
  it('keeps every supergraph name one-byte once the gateway has built its schema', async () => {
    const sdl = readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8');
    keepOneByteNames(sdl);
    const gateway = new ApolloGateway({ supergraphSdl: sdl });
    await gateway.load();
    const names = new Set<string>();
    visit(parse(sdl), { Name: (node) => void names.add(node.value) });
    const twoByte = [...names].filter((name) => !isOneByte(tableCopy(name)));
    expect(twoByte).toEqual([]);
    expect(isOneByte(JSON.stringify({ [tableCopy('upc')]: '1', [tableCopy('inStock')]: true }))).toBe(true);
    await gateway.stop();
  });

  it('ignores an SDL it cannot parse (the gateway reports it)', () => {
    expect(() => keepOneByteNames('type {')).not.toThrow();
  });
});
