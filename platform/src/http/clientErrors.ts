import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { AppError, type ErrorCode, renderGraphQLErrorBody, renderRestError } from '../errors/catalog.js';
import type { Logger } from '../log/logger.js';
import { requestErrors } from '../metrics/index.js';
import { REQUEST_ID_HEADER } from './requestId.js';

/** The request id of the request a socket is serving, for an answer Node's parser ends early. */
const socketRequestIds = new WeakMap<Socket, string>();

/**
 * Remembers which request a socket serves, so a timeout mid-body answers with that request's id;
 * forgotten once answered, so the next request on a kept-alive connection is not taken for it.
 */
export function rememberRequestId(socket: Socket | undefined, id: string, res: ServerResponse): void {
  if (!socket) return;
  socketRequestIds.set(socket, id);
  res.once('finish', () => {
    if (socketRequestIds.get(socket) === id) socketRequestIds.delete(socket);
  });
}

/** Node's parser and timeout errors, as catalog codes. */
function codeOf(error: NodeJS.ErrnoException): ErrorCode {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'REQUEST_TIMEOUT';
    case 'HPE_HEADER_OVERFLOW':
      return 'REQUEST_HEADER_FIELDS_TOO_LARGE';
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 'PAYLOAD_TOO_LARGE';
    default:
      return 'BAD_USER_INPUT';
  }
}

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  REQUEST_TIMEOUT: 'The request was not received in time',
  REQUEST_HEADER_FIELDS_TOO_LARGE: 'The request headers are too large',
  PAYLOAD_TOO_LARGE: 'The request body is too large',
  BAD_USER_INPUT: 'The request is not valid HTTP',
};

/**
 * Answers what Node refuses before a request reaches fastify (headers too large, a malformed
 * request line or framing, a request not received within the request timeout) with a catalog
 * answer in the service's shape and an `x-request-id`, instead of Node's bare status line. The
 * connection is closed after it: the parser's state is unknown.
 */
export function clientErrorHandler(
  shape: 'graphql' | 'rest',
  logger: Logger,
): (this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket) => void {
  return (error, socket) => {
    // A reset or an already closed socket has no one left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    // An answer already started on this socket cannot be followed by another.
    if (!socket.writable || inFlight?.headersSent) {
      socket.destroy(error);
      return;
    }
    const code = codeOf(error);
    const appError = new AppError(code, MESSAGES[code]);
    const requestId = socketRequestIds.get(socket) ?? randomUUID();
    const body = JSON.stringify(shape === 'graphql' ? renderGraphQLErrorBody(appError) : renderRestError(appError));
    const status = appError.status;
    logger.info({ requestId, status, code, reason: error.code }, 'request refused by the HTTP parser');
    requestErrors.labels('unmatched', code).inc();
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'content-type: application/json; charset=utf-8\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        `${REQUEST_ID_HEADER}: ${requestId}\r\n` +
        'connection: close\r\n\r\n' +
        body,
    );
    // Whatever the client still sends is not read; the socket goes once the answer is flushed.
    setTimeout(() => socket.destroy(), 1000).unref();
  };
}

/** Requests that said `Expect: 100-continue` and still wait to be told to send their body. */
const awaitingContinue = new WeakSet<IncomingMessage>();

/**
 * `Expect: 100-continue`: Node answers 100 at once unless someone listens for it, which would
 * invite the body before the token, API key and rate limit were checked. Here the request goes
 * through fastify like any other, and 100 is sent only when its body is about to be read (after
 * every `onRequest` guard passed); a refused request gets its final answer without a 100.
 */
export function installExpectContinue(app: FastifyInstance): void {
  const server = app.server as Server;
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    awaitingContinue.add(req);
    server.emit('request', req, res);
  });
  app.addHook('preParsing', async (req, reply) => {
    if (!awaitingContinue.delete(req.raw)) return;
    reply.raw.writeContinue();
  });
}
