import { connect } from 'node:net';

/** One HTTP/1.1 answer as it came off the wire. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Everything received, interim answers (`100 Continue`) included. */
  raw: string;
}

/** Parses the last answer in what a server sent (after any 1xx). */
export function parseRawAnswer(raw: string): RawAnswer {
  const answers = raw.split(/(?=HTTP\/1\.1 \d{3})/).filter(Boolean);
  const final = answers.findLast((a) => !/^HTTP\/1\.1 1\d\d/.test(a)) ?? answers.at(-1) ?? '';
  const [head = '', ...rest] = final.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body: rest.join('\r\n\r\n'), raw };
}

export interface RawRequestOptions {
  /** Sent after the head, one piece at a time, `everyMs` apart (a trickled body). */
  trickle?: { pieces: string[]; everyMs: number };
  /** Sent after the head once the server answered `100 Continue` (an `Expect: 100-continue` body). */
  afterContinue?: string;
  /** Longest wait for the server to close or answer. @default 15000 */
  timeoutMs?: number;
}

/**
 * Sends bytes exactly as given over a plain socket and collects the answer: request targets,
 * framing and pacing that an HTTP client would normalise or refuse to send (tests only, on
 * 127.0.0.1). Resolves when the server closes, or once a whole final answer arrived.
 */
export function rawRequest(port: number, head: string, options: RawRequestOptions = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let continued = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = () => {
      for (const timer of timers) clearTimeout(timer);
      socket.destroy();
      resolve(parseRawAnswer(received));
    };
    timers.push(setTimeout(finish, options.timeoutMs ?? 15_000));
    socket.on('connect', () => {
      socket.write(head);
      options.trickle?.pieces.forEach((piece, i) => {
        timers.push(
          setTimeout(
            () => {
              if (!socket.destroyed) socket.write(piece);
            },
            options.trickle!.everyMs * (i + 1),
          ),
        );
      });
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (options.afterContinue !== undefined && !continued && /^HTTP\/1\.1 100/.test(received)) {
        continued = true;
        socket.write(options.afterContinue);
      }
      const answer = parseRawAnswer(received);
      const length = Number(answer.headers['content-length']);
      if (answer.status >= 200 && Number.isFinite(length) && Buffer.byteLength(answer.body) >= length) finish();
    });
    socket.on('error', () => undefined);
    socket.on('close', finish);
  });
}
