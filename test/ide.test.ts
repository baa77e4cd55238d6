import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor, url } from './support/client.js';
import { available } from './support/prerequisites.js';

// Debian's chromium (.ci/run installs it), driven by playwright-core: no browser download.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasBrowser = available({
  command: CHROMIUM,
  aptPackage: 'chromium',
  what: 'The IDE in a real browser (test/ide.test.ts)',
});
const SCREENSHOT = join(tmpdir(), 'edgeway-ide-bff-mobile.png');

const HOME = `query Home {
  home(first: 2) {
    viewer { name }
    topProducts { upc name price { amount source } }
    recommended { upc name }
  }
}`;

let browser: Browser;
let context: BrowserContext;
const requested: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!hasBrowser) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Every host but loopback is unresolvable: a page that reached for a CDN would break here.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.on('request', (request) => requested.push(request.url()));
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

/** Replaces an editor's whole text as a user would (select all, paste), not key by key (auto-closing brackets). */
async function replaceText(page: Page, editor: string, text: string): Promise<void> {
  await page.locator(editor).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

// The page's globals, as far as these tests read them (the test project has no DOM types).
interface PageGlobals {
  document: { querySelector(selector: string): { CodeMirror?: { getValue(): string } } | null };
}

/** What the result pane shows once it contains `expected` (the CodeMirror document, not only the lines in view). */
async function resultContaining(page: Page, expected: string): Promise<string> {
  const pane = await page.waitForFunction((text) => {
    const { document } = globalThis as unknown as PageGlobals;
    const value = document.querySelector('.result-window .CodeMirror')?.CodeMirror?.getValue();
    return value?.includes(text) ? value : false;
  }, expected);
  return (await pane.jsonValue()) as string;
}

/** Hosts of every request the browser sent (inline data: URLs are not requests to anyone). */
const hostsRequested = () => new Set(requested.filter((r) => !r.startsWith('data:')).map((r) => new URL(r).hostname));

// A real browser on a shared machine: generous per test, while every wait is for a selector.
describe.skipIf(!hasBrowser)('the development GraphQL IDE', { timeout: 90_000 }, () => {
  it('runs the home query on bff-mobile with a token and x-chaos, offline, and shows the degraded manifest', async () => {
    // A user no other test asks about: no last good picks can stand in (EMPTY, not STALE).
    const token = await tokenFor('4');
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const origin = url('bff-mobile');

    await page.goto(`${origin}/graphql`);
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor();

    // The schema's docs come from introspection: the root field is listed.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).click();
    await page.locator('.graphiql-doc-explorer').getByText('home', { exact: true }).waitFor();

    await replaceText(page, '.graphiql-query-editor .CodeMirror', HOME);
    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    const headers = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
    expect(await page.locator(headers).textContent()).toContain('Bearer <paste: npm run -s token -- 1>');
    await replaceText(
      page,
      headers,
      JSON.stringify({ authorization: `Bearer ${token}`, 'x-chaos': 'recommendations=down' }, null, 2),
    );
    await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click();

    const shown = JSON.parse(await resultContaining(page, '"degraded"'));
    expect(shown.errors).toBeUndefined();
    expect(shown.data.home.viewer).toEqual({ name: 'Edsger Dijkstra' });
    expect(shown.data.home.topProducts).toHaveLength(2);
    expect(shown.data.home.topProducts[0]).toMatchObject({ upc: expect.any(String), price: { source: 'LIVE' } });
    expect(shown.extensions.degraded).toEqual([
      { path: ['home', 'recommended'], dependency: 'recommendations', reason: 'UPSTREAM_ERROR', fallback: 'EMPTY' },
    ]);
    expect(shown.data.home.recommended).toEqual([]);
    // The trace id a bug report quotes, beside the manifest.
    expect(shown.extensions.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(await page.locator('.result-window').textContent()).toContain('"recommended"');

    await page.screenshot({ path: SCREENSHOT });
    console.log(`IDE screenshot: ${SCREENSHOT}`);

    expect(pageErrors).toEqual([]);
    expect([...hostsRequested()]).toEqual(['127.0.0.1']);
    expect(requested.filter((request) => request.startsWith(`${origin}/graphql/ide/`)).length).toBe(5);
  });

  it.each(['gateway', 'bff-web'] as const)('opens on %s and runs the query it opens with', async (service) => {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${url(service)}/graphql`);
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor();
    await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click();
    const shown = JSON.parse(await resultContaining(page, '"data"'));
    expect(shown.errors).toBeUndefined();
    expect(Object.keys(shown.data)).toEqual([service === 'gateway' ? 'topProducts' : 'productPage']);
    expect(pageErrors).toEqual([]);
    expect([...hostsRequested()]).toEqual(['127.0.0.1']);
    await page.close();
  });
});
