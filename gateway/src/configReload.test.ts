// Hot reload of the configuration file: a gateway started from a YAML file follows its canary
// settings while it runs and serves, keeps its settings when the file turns invalid, and says
// which other settings wait for a restart.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createTokenVerifier, metrics } from '@edgeway/platform';
import { createTestIssuer } from '@edgeway/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayApp } from './app.js';
import { many, type ReviewsDeployment, reviewsClient, reviewsDeployment, unlimited } from './canaryTesting.js';
import { loadGatewayFile } from './config/file.js';
import { type RunningSubgraphs, startSubgraphs, startTestGateway } from './testing.js';

const issuer = await createTestIssuer();
const logged: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [];
const logger = createLogger({ service: 'gateway-test', level: 'silent' });
for (const level of ['info', 'warn', 'error'] as const) {
  logger[level] = ((fields: Record<string, unknown>, msg: string) =>
    void logged.push({ level, msg, fields })) as (typeof logger)[typeof level];
}

const dir = mkdtempSync(join(tmpdir(), 'gateway-config-'));
const path = join(dir, 'gateway.config.yaml');
const SUPERGRAPH = new URL('../supergraph.graphql', import.meta.url).pathname;

let subgraphs: RunningSubgraphs;
let stable: ReviewsDeployment;
let canary: ReviewsDeployment;
let gateway: GatewayApp;
const ask = reviewsClient(() => gateway, issuer);

const file = (canaryYaml: string, reviewsExtra = '') =>
  `subgraphs:\n  reviews:\n${reviewsExtra}    canary:\n      url: ${canary.url}\n${canaryYaml}`;
const reloads = async (result: string) =>
  (await metrics.configReloads.get()).values.find((v) => v.labels.result === result)?.value ?? 0;

/** Waits (up to 15 s: the file is polled every second) until `check` holds. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the change was not seen in 15 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  subgraphs = await startSubgraphs(logger);
  stable = await reviewsDeployment(logger, false);
  canary = await reviewsDeployment(logger, true);
  writeFileSync(path, file('      percent: 0\n      users: [beta-1]\n'));
  gateway = await startTestGateway(
    {
      subgraphUrls: { ...subgraphs.urls, reviews: stable.url },
      security: unlimited(),
      subgraphs: loadGatewayFile(path, SUPERGRAPH).subgraphs,
      configFile: path,
    },
    { logger, verify: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey }) },
  );
});
afterAll(async () => {
  await gateway.app.close();
  await gateway.stop();
  await Promise.all([subgraphs.close(), stable.close(), canary.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('configuration file reload', () => {
  it('applies a new share and user list without a restart, while requests are in flight', async () => {
    expect((await ask('beta-1')).served).toBe('canary');
    expect((await ask('user-1')).served).toBe('stable');
    const succeeded = await reloads('success');

    // Requests keep coming while the file changes: none fails, whichever deployment answers it.
    let writing = true;
    const traffic = (async () => {
      const answers = [];
      while (writing) answers.push(...(await many(10, 10, (i) => ask(`user-${i}`))));
      return answers;
    })();
    writeFileSync(path, file('      percent: 100\n      users: []\n'));
    await until(async () => (await ask('user-1')).served === 'canary');
    writing = false;
    const answers = await traffic;
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((a) => a.status === 200 && a.errors === undefined && a.bodies.length > 0)).toBe(true);
    expect(await reloads('success')).toBe(succeeded + 1);
    expect(logged.some((l) => l.msg === 'configuration reloaded')).toBe(true);
  }, 60_000);

  it('refuses an invalid file with every problem logged, keeping the settings in force', async () => {
    logged.length = 0;
    writeFileSync(path, file('      percent: 100\n      users: [beta-2]\n'));
    await until(async () => logged.some((l) => l.msg === 'configuration reloaded'));
    const failed = await reloads('error');
    logged.length = 0;
    writeFileSync(
      path,
      file('      percent: 150\n      header: { name: "bad header", value: "" }\n      color: red\n'),
    );
    await until(async () => (await reloads('error')) > failed);
    const rejected = logged.find((l) => l.msg === 'configuration rejected: keeping the settings in force');
    const problems = rejected?.fields.problems as string[];
    expect(problems.some((p) => p.startsWith('subgraphs.reviews.canary.percent'))).toBe(true);
    expect(problems.some((p) => p.startsWith('subgraphs.reviews.canary.header.name'))).toBe(true);
    expect(problems.some((p) => p.startsWith('subgraphs.reviews.canary.header.value'))).toBe(true);
    expect(problems.some((p) => p.includes('color'))).toBe(true);
    // Still the last valid settings: everyone on the canary.
    expect((await many(10, 5, (i) => ask(`user-${i}`))).every((a) => a.served === 'canary')).toBe(true);
  }, 60_000);

  it('applies the canary of a file that also changes other settings, and says those wait for a restart', async () => {
    logged.length = 0;
    writeFileSync(path, file('      percent: 0\n', '    timeoutMs: 1500\n'));
    await until(async () => logged.some((l) => l.msg === 'configuration reloaded'));
    expect((await ask('user-1')).served).toBe('stable');
    const waiting = logged.find((l) => l.msg.includes('apply at the next restart'));
    expect(waiting?.fields.subgraphs).toEqual(['reviews']);
  }, 60_000);
});
