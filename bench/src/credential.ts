// The gateway-to-subgraph credential's cost per subgraph fetch (docs/performance.md):
//   node --import tsx bench/src/credential.ts
// Signing happens on the gateway's hot path once per subgraph fetch: it hashes the body and, when
// no credential for the same subgraph, user and body is reusable, signs a new one. Checking
// happens once per subgraph request. Bodies are the size of the benchmark's subgraph requests.
import {
  checkInternalRequest,
  createInternalSigner,
  createInternalVerifier,
  INTERNAL_CREDENTIAL_HEADER,
} from '@edgeway/platform';

const SECRET = 'bench-internal-signing-key-0123456789abcdef';
const ROUNDS = 200_000;
const representations = Array.from({ length: 30 }, (_, i) => ({ __typename: 'Product', upc: String(i + 1) }));
const body = (i: number) =>
  JSON.stringify({
    query: 'query($representations:[_Any!]!){_entities(representations:$representations){...on Product{inStock}}}',
    variables: { representations, nonce: i },
  });

// CPU time rather than wall time: on a shared machine, waiting for a core is not the code's cost.
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const report = (label: string, micros: number) =>
  process.stdout.write(`${label.padEnd(52)} ${micros.toFixed(2)} µs CPU\n`);

function perCallMicros(label: string, rounds: number, run: (i: number) => void): void {
  for (let i = 0; i < 20_000; i++) run(i);
  const started = cpuMicros();
  for (let i = 0; i < rounds; i++) run(i);
  report(label, (cpuMicros() - started) / rounds);
}

const bodies = Array.from({ length: 1024 }, (_, i) => body(i));
process.stdout.write(`body size: ${bodies[0]!.length} bytes, node ${process.version}\n`);
const sign = createInternalSigner({ secret: SECRET });
perCallMicros('sign, a new body every call (hash + HMAC)', ROUNDS, (i) =>
  sign('inventory', '1', `${bodies[i % 1024]}${i}`),
);
perCallMicros('sign, a body signed in the last 5 s (reuse)', ROUNDS, (i) => sign('inventory', '1', bodies[i % 1024]!));

const verify = createInternalVerifier({ secret: SECRET, audience: 'inventory' });
// Fresh credentials (10 s of life) and few enough rounds to check them all well within it.
const signFresh = createInternalSigner({ secret: SECRET });
const signed = bodies.map((b) => ({
  raw: Buffer.from(b),
  header: { [INTERNAL_CREDENTIAL_HEADER]: signFresh('inventory', '1', b) },
}));
const verifyRounds = 20_000;
const started = cpuMicros();
for (let i = 0; i < verifyRounds; i++) {
  const { raw, header } = signed[i % 1024]!;
  checkInternalRequest(await verify(header), raw, '127.0.0.1');
}
report('check on the subgraph (HMAC + claims + body hash)', (cpuMicros() - started) / verifyRounds);
