import type { FastifyInstance } from 'fastify';

/**
 * Why: when a body is refused before it is read (413, a broken JSON body), fastify answers with
 * `Connection: close` and Node closes the socket while the client is still sending. The kernel
 * then resets the connection, and a client that is still writing often sees only EPIPE/ECONNRESET,
 * never the 413 that would have told it what was wrong. Like a web server's "lingering close",
 * we keep reading (and discarding) the rest of a refused body for a bounded time and size, so the
 * client receives the coded answer; anything larger or slower is cut off.
 */
export interface LingerOptions {
  /** Most bytes read and discarded after an early answer. @default 8 MiB */
  maxBytes?: number;
  /** Longest time spent draining after an early answer. @default 5 s */
  maxMs?: number;
  /** While the server drains for shutdown, connections close after their answer: no lingering. */
  isDraining?: () => boolean;
}

const hasBody = (headers: Record<string, string | string[] | undefined>) =>
  Number(headers['content-length']) > 0 || headers['transfer-encoding'] !== undefined;

export function installLingeringClose(app: FastifyInstance, options: LingerOptions = {}): void {
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const maxMs = options.maxMs ?? 5_000;

  app.addHook('onSend', async (req, reply) => {
    const raw = req.raw;
    if (raw.complete || reply.statusCode < 400 || !hasBody(raw.headers) || options.isDraining?.()) return;
    const declared = Number(raw.headers['content-length']);
    // A body declared larger than we will drain is cut off at once (the connection closes).
    if (Number.isFinite(declared) && declared > maxBytes) return;
    // Keep the connection: Node then reads the rest of the body off the wire after the answer.
    reply.removeHeader('connection');
    reply.raw.once('finish', () => {
      if (raw.complete) return;
      const socket = raw.socket;
      let drained = 0;
      // (A light-my-request socket, under `inject`, has no destroy: nothing to cut off there.)
      const cutOff = () => (typeof socket.destroy === 'function' ? socket.destroy() : undefined);
      const timer = setTimeout(cutOff, maxMs);
      timer.unref();
      const onData = (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > maxBytes) cutOff();
      };
      raw.on('data', onData);
      raw.once('end', () => clearTimeout(timer));
      raw.once('close', () => clearTimeout(timer));
    });
  });
}
