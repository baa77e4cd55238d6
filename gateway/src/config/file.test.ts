import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@edgeway/platform';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig, loadGatewaySettings } from '../config.js';
import { loadGatewayFile, parseGatewayFile, subgraphNamesOf } from './file.js';
import { gatewayConfigJsonSchema, JSON_SCHEMA_FILE } from './jsonSchema.js';
import { resolveSubgraphSettings, type SubgraphEnvDefaults, urlEnvOf } from './subgraphs.js';

const SUPERGRAPH = fileURLToPath(new URL('../../supergraph.graphql', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../gateway.config.example.yaml', import.meta.url));
const NAMES = ['ledger', 'warehouse'];

const problemsOf = (text: string): string[] => {
  try {
    parseGatewayFile(text, NAMES);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the file was accepted');
};

const env: SubgraphEnvDefaults = {
  urlOf: () => undefined,
  timeoutMs: 2000,
  halfOpenAfterMs: 10_000,
  maxResponseBytes: 4096,
};
const resolve = (text: string, name = 'ledger', environment = env) =>
  resolveSubgraphSettings(
    name,
    'http://ledger.supergraph/graphql',
    parseGatewayFile(text, NAMES).subgraphs,
    environment,
  );

describe('the configuration file', () => {
  it('refuses a wrong file with every problem named by its path, in one message', () => {
    const problems = problemsOf(`
subgraphs:
  '*':
    timeoutMs: -5
    colour: blue
  ledger:
    url: ftp://ledger
    retry: { attempts: 9 }
    breaker: { failureRatio: 2 }
    bulkhead: { maxConcurrent: 0 }
    maxResponseBytes: big
    credential: "no"
    headers:
      request:
        - propagate: { named: connection }
        - propagate: { matching: '[' }
        - insert: { name: x-edgeway-credential, value: forged }
        - insert: { name: x-request-id, value: mine }
        - shout: { named: x-a }
      response:
        - propagate: { named: transfer-encoding }
  ledgr: {}
extra: true
`);
    const expected = [
      /^subgraphs\.\*\.timeoutMs: expected a positive integer/,
      /^subgraphs\.\*: Unrecognized key: "colour"/,
      /^subgraphs\.ledger\.url: expected an http\(s\) URL/,
      /^subgraphs\.ledger\.retry\.attempts: /,
      /^subgraphs\.ledger\.breaker\.failureRatio: /,
      /^subgraphs\.ledger\.bulkhead\.maxConcurrent: expected a positive integer/,
      /^subgraphs\.ledger\.maxResponseBytes: /,
      /^subgraphs\.ledger\.credential: /,
      /^subgraphs\.ledger\.headers\.request\.0/,
      /^subgraphs\.ledger\.headers\.request\.1/,
      /^subgraphs\.ledger\.headers\.request\.2/,
      /^subgraphs\.ledger\.headers\.request\.3/,
      /^subgraphs\.ledger\.headers\.request\.4/,
      /^subgraphs\.ledger\.headers\.response\.0\.propagate\.named: is a hop-by-hop header/,
      /^\(root\): Unrecognized key: "extra"/,
      /^subgraphs\.ledgr: the supergraph has no subgraph "ledgr" \(it has: ledger, warehouse\)/,
    ];
    for (const pattern of expected)
      expect(
        problems.some((p) => pattern.test(p)),
        `${pattern}\n${problems.join('\n')}`,
      ).toBe(true);
    expect(problems.join('\n')).not.toMatch(/\bat \w+ \(|node_modules/);
  });

  it('names why a header rule is refused', () => {
    const problems = problemsOf(`
subgraphs:
  ledger:
    headers:
      request:
        - propagate: { named: keep-alive }
        - insert: { name: x-edgeway-credential, value: forged }
        - remove: { matching: '(' }
`).join('\n');
    expect(problems).toMatch(/request\.0.*hop-by-hop/);
    expect(problems).toMatch(/request\.1.*set by the edge itself/);
    expect(problems).toMatch(/request\.2.*not a valid regular expression/);
  });

  it('reports YAML syntax errors with their line, before anything else', () => {
    const problems = problemsOf('subgraphs:\n  ledger: { timeoutMs: 5\n  warehouse: {}\n');
    expect(problems[0]).toMatch(/^GATEWAY_CONFIG line \d+, column \d+: /);
    expect(problemsOf('subgraphs:\n  ledger: {}\n  ledger: {}\n').join('\n')).toMatch(/line 3.*unique/i);
  });

  it('lists the problems of the environment and of the file in one message', () => {
    expect(() => loadGatewaySettings({ PORT: 'x', GATEWAY_CONFIG: '/nonexistent/gateway.config.yaml' })).toThrow(
      /PORT: [\s\S]*GATEWAY_CONFIG: cannot read/,
    );
    expect(loadGatewaySettings({ GATEWAY_CONFIG: EXAMPLE }).file?.subgraphs?.reviews?.timeoutMs).toBe(3000);
    expect(loadGatewaySettings({}).file).toBeUndefined();
  });

  it('refuses a file that cannot be read, naming it', () => {
    expect(() => loadGatewayFile('/nonexistent/gateway.config.yaml', SUPERGRAPH)).toThrow(
      /GATEWAY_CONFIG: cannot read \/nonexistent\/gateway.config.yaml \(ENOENT\)/,
    );
  });

  it('no file, or an empty one: every subgraph on the defaults it had before', () => {
    expect(parseGatewayFile('', NAMES)).toEqual({});
    // Without a file: what the gateway did before it had one (the policy's own defaults, no header rules).
    expect(resolveSubgraphSettings('ledger', 'http://ledger.supergraph/graphql', undefined, env)).toEqual({
      name: 'ledger',
      url: 'http://ledger.supergraph/graphql',
      timeoutMs: 2000,
      retry: { attempts: 1, backoffMs: 0 },
      breaker: {
        consecutiveFailures: 5,
        failureRatio: 0.5,
        samplingWindowMs: 10_000,
        minimumRps: 2,
        halfOpenAfterMs: 10_000,
      },
      bulkhead: { maxConcurrent: 64, maxQueued: 256 },
      maxResponseBytes: 4096,
      credential: true,
      headers: { request: [], response: [] },
    });
    expect(resolve('')).toEqual(resolveSubgraphSettings('ledger', 'http://ledger.supergraph/graphql', undefined, env));
  });

  it('the example in the repository is valid for the committed supergraph', () => {
    const file = loadGatewayFile(EXAMPLE, SUPERGRAPH);
    expect(Object.keys(file.subgraphs ?? {}).sort()).toEqual(
      ['*', ...subgraphNamesOf(readFileSync(SUPERGRAPH, 'utf8'))].sort(),
    );
  });

  it('the example in docs/operations.md is valid', () => {
    const docs = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');
    const example = /## The gateway's configuration file[\s\S]*?```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(example).toBeDefined();
    const file = parseGatewayFile(example ?? '', ['ledger', 'reviews-vendor']);
    expect(resolveSubgraphSettings('reviews-vendor', undefined, file.subgraphs, env).credential).toBe(false);
  });

  it('the committed JSON Schema is the one the zod schema generates (npm run config-schema)', () => {
    expect(readFileSync(JSON_SCHEMA_FILE, 'utf8')).toBe(gatewayConfigJsonSchema());
  });
});

describe('a subgraph setting comes from its own entry, then "*", then the environment', () => {
  it('url: environment, then own, then "*", then the supergraph', () => {
    expect(resolve('subgraphs: { "*": { url: "http://all/g" } }').url).toBe('http://all/g');
    expect(resolve('subgraphs: { "*": { url: "http://all/g" }, ledger: { url: "http://own/g" } }').url).toBe(
      'http://own/g',
    );
    const withEnv = { ...env, urlOf: (name: string) => (name === 'ledger' ? 'http://env/g' : undefined) };
    expect(resolve('subgraphs: { ledger: { url: "http://own/g" } }', 'ledger', withEnv).url).toBe('http://env/g');
  });

  it('timeoutMs', () => {
    expect(resolve('subgraphs: { "*": { timeoutMs: 700 } }').timeoutMs).toBe(700);
    expect(resolve('subgraphs: { "*": { timeoutMs: 700 }, ledger: { timeoutMs: 300 } }').timeoutMs).toBe(300);
    expect(resolve('subgraphs: { "*": { timeoutMs: 700 } }', 'warehouse').timeoutMs).toBe(700);
  });

  it('retry, breaker and bulkhead merge key by key', () => {
    const settings = resolve(`
subgraphs:
  '*': { retry: { attempts: 3 }, breaker: { consecutiveFailures: 9 }, bulkhead: { maxQueued: 5 } }
  ledger: { retry: { backoffMs: 40 }, breaker: { halfOpenAfterMs: 500 }, bulkhead: { maxConcurrent: 2 } }
`);
    expect(settings.retry).toEqual({ attempts: 3, backoffMs: 40 });
    expect(settings.breaker).toEqual({
      consecutiveFailures: 9,
      failureRatio: 0.5,
      samplingWindowMs: 10_000,
      minimumRps: 2,
      halfOpenAfterMs: 500,
    });
    expect(settings.bulkhead).toEqual({ maxConcurrent: 2, maxQueued: 5 });
    expect(resolve('').breaker.halfOpenAfterMs).toBe(10_000);
  });

  it('maxResponseBytes and credential', () => {
    expect(resolve('').maxResponseBytes).toBe(4096);
    expect(resolve('subgraphs: { ledger: { maxResponseBytes: 1000 } }').maxResponseBytes).toBe(1000);
    expect(resolve('subgraphs: { "*": { credential: false } }').credential).toBe(false);
    expect(resolve('subgraphs: { "*": { credential: false }, ledger: { credential: true } }').credential).toBe(true);
  });

  it('headers: the rules of "*" run first, then the subgraph\'s own; names are lower-cased', () => {
    const settings = resolve(`
subgraphs:
  '*': { headers: { request: [{ propagate: { named: Accept-Language } }] } }
  ledger: { headers: { request: [{ remove: { named: accept-language } }], response: [{ propagate: { named: Set-Cookie } }] } }
`);
    expect(settings.headers).toEqual({
      request: [{ propagate: { named: 'accept-language' } }, { remove: { named: 'accept-language' } }],
      response: [{ propagate: { named: 'set-cookie' } }],
    });
  });
});

describe('SUBGRAPH_<NAME>_URL', () => {
  it('is read for any subgraph name: upper-cased, other characters as _', () => {
    expect(urlEnvOf('fx-rates.v2')).toBe('SUBGRAPH_FX_RATES_V2_URL');
    const config = loadGatewayConfig({
      SUBGRAPH_FX_RATES_V2_URL: 'http://fx:4000/graphql',
      SUBGRAPH_ACCOUNTS_URL: 'http://a/g',
    });
    expect(config.subgraphUrlEnvs).toEqual({
      SUBGRAPH_FX_RATES_V2_URL: 'http://fx:4000/graphql',
      SUBGRAPH_ACCOUNTS_URL: 'http://a/g',
    });
  });

  it('is validated with every other variable', () => {
    expect(() => loadGatewayConfig({ SUBGRAPH_LEDGER_URL: 'not a url', PORT: 'x' })).toThrow(
      /PORT: [\s\S]*SUBGRAPH_LEDGER_URL: |SUBGRAPH_LEDGER_URL: [\s\S]*PORT: /,
    );
  });
});
