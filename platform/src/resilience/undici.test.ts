// The undici classes the services use, loaded without undici's index: the same classes the index
// exports (an upgrade that moves a file fails here), able to send requests, and the index itself
// (with Node's bundled copy behind `fetch`) never loaded by a service.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import * as core from './undici.js';

describe("undici's dispatchers without its index", () => {
  it('are the classes undici exports, at the version this module was written for', async () => {
    const index = await import('undici');
    expect(core.Agent).toBe(index.Agent);
    expect(core.Client).toBe(index.Client);
    expect(core.Pool).toBe(index.Pool);
    expect(core.errors).toBe(index.errors);
  });

  it('send requests through every dispatcher, as with the index', async () => {
    const server = createServer((req, res) => res.end(`${req.method} ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const dispatcher of [new core.Agent(), new core.Pool(origin), new core.Client(origin)]) {
        const response = await dispatcher.request({ origin, path: '/x?y=1', method: 'GET' });
        expect(response.statusCode).toBe(200);
        expect(await response.body.text()).toBe('GET /x?y=1');
        await dispatcher.close();
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("leave undici's index unloaded in a service process, and Node's bundled undici where Node allows", () => {
    // A fresh process: what loading the platform's index brings in. On Node 24 an ESM import of
    // node:http alone loads Node's bundled undici (its namespace reads lazy exports); not on Node 20.
    const probe = `
      const { createRequire } = await import('node:module');
      const bundledNow = () => process.moduleLoadList.some((name) => name.includes('internal/deps/undici'));
      await import('node:http');
      const byHttp = bundledNow();
      await import(${JSON.stringify(new URL('../index.ts', import.meta.url).href)});
      const require = createRequire(import.meta.url);
      const indexLoaded = Object.keys(require.cache).some((file) => file.endsWith('/node_modules/undici/index.js'));
      console.log(JSON.stringify({ indexLoaded, byHttp, bundled: bundledNow() }));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {
      encoding: 'utf8',
      env: { ...process.env, OTEL_SDK_DISABLED: 'true' },
    });
    expect(run.stderr).toBe('');
    const loaded = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, boolean>;
    expect(loaded.indexLoaded).toBe(false);
    expect(loaded.bundled).toBe(loaded.byHttp);
    if (process.versions.node.startsWith('20.')) expect(loaded.bundled).toBe(false);
  });
});
