import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

export interface TestIssuer {
  issuer: string;
  audience: string;
  jwks: { keys: JWK[] };
  getKey: ReturnType<typeof createLocalJWKSet>;
  /** A token for `sub`; `overrides` lets tests forge expired or foreign tokens. */
  sign(
    sub: string,
    overrides?: { expiresIn?: string | number; audience?: string; issuer?: string; scope?: string },
  ): Promise<string>;
  /** Signs exactly `claims` with the issuer's key (no defaults), for tokens with odd claims. */
  signClaims(claims: JWTPayload): Promise<string>;
}

/** An in-memory identity provider for unit tests: one ES256 key, its JWKS, and a signer. */
export async function createTestIssuer(issuer = 'https://issuer.test', audience = 'edgeway'): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
  const jwks = { keys: [jwk] };
  return {
    issuer,
    audience,
    jwks,
    getKey: createLocalJWKSet(jwks),
    sign: (sub, overrides = {}) =>
      new SignJWT({ scope: overrides.scope ?? '' })
        .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
        .setSubject(sub)
        .setIssuer(overrides.issuer ?? issuer)
        .setAudience(overrides.audience ?? audience)
        .setIssuedAt()
        .setExpirationTime(overrides.expiresIn ?? '15m')
        .sign(privateKey),
    signClaims: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'test-key' }).sign(privateKey),
  };
}
