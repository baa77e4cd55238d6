import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';

type LogArgs = Parameters<Logger['info']>;

/**
 * A request's logger (`req.log`) whose pino child is made on the first line the request writes.
 *
 * Fastify makes a child logger for every request, bound to its request id, and pino runs the
 * redaction over a child's bindings as it makes it: 3 % of the gateway's CPU on requests that,
 * below `info`, never write a line. This logger answers the same calls; a line at a level that is
 * off costs a level check, and anything else (a line written, `child`, setting `level`) makes the
 * child once and goes to it, so every line still carries the request id.
 */
class RequestLogger {
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  #child: Logger | undefined;

  constructor(parent: Logger, bindings: Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  #made(): Logger {
    return (this.#child ??= this.#parent.child(this.#bindings));
  }

  #write(level: Level, args: LogArgs): void {
    if ((this.#child ?? this.#parent).isLevelEnabled(level)) (this.#made()[level] as (...a: LogArgs) => void)(...args);
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }

  set level(level: string) {
    this.#made().level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#made().child(bindings, options);
  }

  fatal(...args: LogArgs): void {
    this.#write('fatal', args);
  }

  error(...args: LogArgs): void {
    this.#write('error', args);
  }

  warn(...args: LogArgs): void {
    this.#write('warn', args);
  }

  info(...args: LogArgs): void {
    this.#write('info', args);
  }

  debug(...args: LogArgs): void {
    this.#write('debug', args);
  }

  trace(...args: LogArgs): void {
    this.#write('trace', args);
  }

  silent(): void {}
}

/**
 * Fastify's child-logger factory for the services: a `RequestLogger` (made on first use), except
 * when the route sets options of its own (`logLevel`, serializers), made at once as Fastify does.
 */
export function requestLogger(parent: Logger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  if (Object.keys(options).length > 0) return parent.child(bindings, options);
  return new RequestLogger(parent, bindings) as FastifyBaseLogger;
}
