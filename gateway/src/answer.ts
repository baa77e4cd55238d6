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
 * fetch `Headers` interface without building a `Headers` object per answer: the data source only
 * reads two of them, and the object and its name checks showed in the gateway's profile.
 */
export class AnswerHeaders implements FetcherHeaders {
  readonly #raw: Dispatcher.ResponseData['headers'];
  // Built on first change or iteration only; reads go to undici's own record.
  #values: Map<string, string> | undefined;

  constructor(raw: Dispatcher.ResponseData['headers']) {
    this.#raw = raw;
  }

  #map(): Map<string, string> {
    if (!this.#values) {
      this.#values = new Map();
      for (const name in this.#raw) {
        const value = this.#raw[name];
        if (value !== undefined) this.#values.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
    }
    return this.#values;
  }

  get(name: string): string | null {
    const key = name.toLowerCase();
    if (this.#values) return this.#values.get(key) ?? null;
    const value = Object.hasOwn(this.#raw, key) ? this.#raw[key] : undefined;
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
  has(name: string): boolean {
    return this.get(name) !== null;
  }
  set(name: string, value: string): void {
    this.#map().set(name.toLowerCase(), value);
  }
  append(name: string, value: string): void {
    const current = this.get(name);
    this.set(name, current === null ? value : `${current}, ${value}`);
  }
  delete(name: string): void {
    this.#map().delete(name.toLowerCase());
  }
  entries(): IterableIterator<[string, string]> {
    return this.#map().entries();
  }
  keys(): IterableIterator<string> {
    return this.#map().keys();
  }
  values(): IterableIterator<string> {
    return this.#map().values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.#map().entries();
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
