import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A pricing service the test controls, counting the requests still open at it (a request whose
 * client aborted is closed here at once): `up` answers, `hung` answers nothing (readiness
 * included, as a frozen process), `firstSlowThenHung` answers the first price request after
 * `delayMs` and hangs the rest, with readiness up.
 */
export type PricingMode = { kind: 'up' } | { kind: 'hung' } | { kind: 'firstSlowThenHung'; delayMs: number };

export interface FakePricing {
  url: string;
  mode: PricingMode;
  /** Price requests received, and those still open now. */
  received(): number;
  open(): number;
  close(): Promise<void>;
}

export async function startFakePricing(): Promise<FakePricing> {
  let received = 0;
  let open = 0;
  const answeredSlow = new WeakSet<PricingMode>();
  const pending = new Set<ServerResponse>();
  const fake: FakePricing = {
    url: '',
    mode: { kind: 'up' },
    received: () => received,
    open: () => open,
    close: () =>
      new Promise((resolve) => {
        for (const res of pending) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const prices = (req: IncomingMessage) => {
    const upcs = new URL(req.url ?? '/', 'http://x').searchParams.getAll('upc');
    return JSON.stringify({ prices: upcs.map((upc) => ({ upc, amount: 1000, currency: 'USD', promotion: null })) });
  };
  const server = createServer((req, res) => {
    const isPrices = req.url?.startsWith('/v1/prices') ?? false;
    const answer = (body: string) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    };
    const mode = fake.mode;
    if (!isPrices) {
      if (mode.kind !== 'hung') answer('{"status":"ready"}');
      else pending.add(res);
      return;
    }
    received++;
    open++;
    pending.add(res);
    res.once('close', () => {
      open--;
      pending.delete(res);
    });
    if (mode.kind === 'up') return answer(prices(req));
    if (mode.kind === 'firstSlowThenHung' && !answeredSlow.has(mode)) {
      answeredSlow.add(mode);
      setTimeout(() => answer(prices(req)), mode.delayMs);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return fake;
}
