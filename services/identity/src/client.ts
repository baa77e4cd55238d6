import type { Upstream } from '@edgeway/platform';

/** `POST /token` body. */
export interface TokenRequest {
  /** One of the seed user ids "1".."6". */
  sub: string;
  /** Space-separated scopes, copied into the token's `scope` claim. */
  scope?: string;
  /** Lifetime in seconds, 60..86400. @default 3600 */
  expiresIn?: number;
}

/** `POST /token` answer, shaped like an OAuth 2 token response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** `GET /.well-known/jwks.json`. */
export interface Jwks {
  keys: Array<{ kty: string; kid: string; alg: string; use: 'sig'; [member: string]: unknown }>;
}

export interface IdentityClient {
  /** A bearer token for a seed user (development and tests only). */
  token(request: TokenRequest): Promise<TokenResponse>;
  jwks(): Promise<Jwks>;
}

interface ErrorBody {
  code?: string;
  message?: string;
}

export function createIdentityClient(upstream: Upstream): IdentityClient {
  return {
    async token(request) {
      const { status, body } = await upstream.json<TokenResponse & ErrorBody>({
        method: 'POST',
        path: '/token',
        body: request,
      });
      if (status !== 200) throw new Error(`identity refused the token: ${body.code} ${body.message}`);
      return body;
    },
    async jwks() {
      return (await upstream.json<Jwks>({ path: '/.well-known/jwks.json' })).body;
    },
  };
}
