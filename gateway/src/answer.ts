import type { FetcherHeaders, FetcherResponse } from '@apollo/utils.fetcher';
import type { Dispatcher } from 'undici';

/** A subgraph answer read whole: what deduplicated callers share. */
export interface Buffered {
  status: number;
  headers: FetcherHeaders;
  text: string;
}

/**
 * A subgraph answer's headers as undici parsed them (names in lower case), read through the
 * fetch `Headers` interface without building a `Headers` object per answer: the data source reads
 * a few of them, and that object and its name checks showed in the gateway's profile. As with
 * `Headers`, a repeated header reads comma-joined, and `getSetCookie()` gives each Set-Cookie apart.
 */
export class SubgraphAnswerHeaders implements FetcherHeaders {
  readonly #raw: Dispatcher.ResponseData['headers'];
  // Built on first change or iteration only; reads go to undici's own record until then.
  #lists: Map<string, string[]> | undefined;

  constructor(raw: Dispatcher.ResponseData['headers']) {
    this.#raw = raw;
  }

  #listOf(name: string): readonly string[] | undefined {
    const key = name.toLowerCase();
    if (this.#lists) return this.#lists.get(key);
    const value = Object.hasOwn(this.#raw, key) ? this.#raw[key] : undefined;
    return value === undefined ? undefined : Array.isArray(value) ? value : [value];
  }

  #map(): Map<string, string[]> {
    if (!this.#lists) {
      this.#lists = new Map();
      for (const name in this.#raw) {
        const value = this.#raw[name];
        if (value !== undefined) this.#lists.set(name, Array.isArray(value) ? [...value] : [value]);
      }
    }
    return this.#lists;
  }

  get(name: string): string | null {
    const list = this.#listOf(name);
    return list === undefined ? null : list.join(', ');
  }
  getSetCookie(): string[] {
    return [...(this.#listOf('set-cookie') ?? [])];
  }
  has(name: string): boolean {
    return this.#listOf(name) !== undefined;
  }
  set(name: string, value: string): void {
    this.#map().set(name.toLowerCase(), [value]);
  }
  append(name: string, value: string): void {
    const lists = this.#map();
    const key = name.toLowerCase();
    lists.set(key, [...(lists.get(key) ?? []), value]);
  }
  delete(name: string): void {
    this.#map().delete(name.toLowerCase());
  }
  *entries(): IterableIterator<[string, string]> {
    for (const [name, list] of this.#map()) yield [name, list.join(', ')];
  }
  *keys(): IterableIterator<string> {
    yield* this.#map().keys();
  }
  *values(): IterableIterator<string> {
    for (const list of this.#map().values()) yield list.join(', ');
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/** The few members of a fetch Response that the data source reads, over a buffered body: one object per answer. */
export class BufferedResponse implements FetcherResponse {
  readonly bodyUsed = false;
  readonly redirected = false;
  readonly statusText = '';
  readonly url: string;
  readonly status: number;
  readonly ok: boolean;
  readonly headers: FetcherHeaders;
  readonly #text: string;

  constructor(url: string, { status, headers, text }: Buffered) {
    this.url = url;
    this.status = status;
    this.ok = status >= 200 && status < 300;
    this.headers = headers;
    this.#text = text;
  }

  async text(): Promise<string> {
    return this.#text;
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.#text);
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return new TextEncoder().encode(this.#text).buffer as ArrayBuffer;
  }
  clone(): FetcherResponse {
    return new BufferedResponse(this.url, { status: this.status, headers: this.headers, text: this.#text });
  }
}
