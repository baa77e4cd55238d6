import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, metrics } from '@edgeway/platform';
import { describe, expect, it, vi } from 'vitest';
import { composeSupergraph, HEADER } from '../scripts/composition.js';
import { supergraphFromFile } from './supergraph.js';

const committed = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

describe('committed supergraph', () => {
  const composed = composeSupergraph();

  it('matches what npm run compose produces from the subgraph schemas', () => {
    expect(committed('supergraph.graphql'), 'gateway/supergraph.graphql is stale: run npm run compose').toBe(
      HEADER + composed.supergraphSdl,
    );
  });

  it('has an API schema that matches too (BFF codegen validates against it)', () => {
    expect(committed('api-schema.graphql'), 'gateway/api-schema.graphql is stale: run npm run compose').toBe(
      HEADER + composed.apiSchemaSdl,
    );
  });
});

describe('supergraphFromFile', () => {
  const sdl = committed('supergraph.graphql');

  async function watching(path: string) {
    const updates: string[] = [];
    const logged: string[] = [];
    const logger = createLogger({ service: 'gateway', level: 'silent' });
    logger.info = ((_obj: unknown, msg: string) => void logged.push(msg)) as typeof logger.info;
    logger.error = ((_obj: unknown, msg: string) => void logged.push(msg)) as typeof logger.error;
    const manager = supergraphFromFile(path, { logger, pollIntervalMs: 20, settleMs: 20 });
    const result = await manager.initialize({
      update: (next) => {
        if (!next.startsWith('# Generated')) throw new Error('not a supergraph');
        updates.push(next);
      },
      healthCheck: async () => undefined,
      getDataSource: () => {
        throw new Error('unused');
      },
    });
    return { result: result as { supergraphSdl: string; cleanup: () => Promise<void> }, updates, logged };
  }

  const reloads = async (result: string) =>
    (await metrics.supergraphReloads.get()).values.find((v) => v.labels.result === result)?.value ?? 0;

  it('serves the file, hands a changed file to the gateway, and keeps the old one when the gateway rejects it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'supergraph-'));
    const path = join(dir, 'supergraph.graphql');
    writeFileSync(path, sdl);
    const { result, updates, logged } = await watching(path);
    try {
      expect(result.supergraphSdl).toBe(sdl);
      const [ok, error] = [await reloads('success'), await reloads('error')];

      writeFileSync(path, `${sdl}\n# changed\n`);
      await vi.waitFor(() => expect(updates).toEqual([`${sdl}\n# changed\n`]), { timeout: 5000 });
      expect(await reloads('success')).toBe(ok + 1);

      writeFileSync(path, 'type Query {');
      await vi.waitFor(async () => expect(await reloads('error')).toBe(error + 1), { timeout: 5000 });
      expect(updates).toHaveLength(1);
      expect(logged).toEqual(['supergraph reloaded', 'supergraph rejected: still serving the previous one']);
    } finally {
      await result.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
