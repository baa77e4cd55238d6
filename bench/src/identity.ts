// The identity service, started for the gateway benchmark: Edgeway verifies the tokens it signs.
import { type Started, startProcess } from './proc.js';
import { ROOT } from './targets.js';
import type { MintToken } from './workload.js';

export interface BenchIdentity {
  process: Started;
  url: string;
  issuer: string;
  jwksUrl: string;
  /** A fresh access token for a seed user (POST /token). */
  mint: MintToken;
}

export async function startIdentity(options: { port: number; keysDir: string; cpus: string }): Promise<BenchIdentity> {
  const url = `http://127.0.0.1:${options.port}`;
  const issuer = 'edgeway-bench';
  const process = await startProcess({
    name: 'identity',
    command: 'node',
    args: ['dist/main.js'],
    cwd: `${ROOT}/services/identity`,
    cpus: options.cpus,
    env: {
      PORT: String(options.port),
      LOG_LEVEL: 'warn',
      JWT_ISSUER: issuer,
      IDENTITY_KEYS_DIR: options.keysDir,
      OTEL_SDK_DISABLED: 'true',
    },
    readyUrl: `${url}/healthz`,
  });
  const mint: MintToken = async (sub, expiresIn) => {
    const answer = await fetch(`${url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub, expiresIn }),
    });
    if (!answer.ok) throw new Error(`the identity service refused a token for ${sub}: ${answer.status}`);
    return ((await answer.json()) as { access_token: string }).access_token;
  };
  return { process, url, issuer, jwksUrl: `${url}/.well-known/jwks.json`, mint };
}
