import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { poll, type ReceivedSpan } from './otlp.js';

export type { ReceivedSpan };

/** A W3C traceparent as a mobile client would send it. @default sampled */
export function newTraceparent(sampled = true) {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return { traceId, parentId, header: `00-${traceId}-${parentId}-${sampled ? '01' : '00'}` };
}

async function getJson<T>(base: string, path: string): Promise<T> {
  const response = await fetch(`${base}${path}`);
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return (await response.json()) as T;
}

/** The spans the shared system exported for one trace, as soon as `complete` says they are all in. */
export function sharedTrace(traceId: string, complete: (spans: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> {
  return spansOf(inject('telemetry'), traceId, complete);
}

export async function spansOf(
  receiverUrl: string,
  traceId: string,
  complete: (spans: ReceivedSpan[]) => boolean,
): Promise<ReceivedSpan[]> {
  let last: ReceivedSpan[] = [];
  try {
    return await poll(async () => {
      last = await getJson<ReceivedSpan[]>(receiverUrl, `/spans?traceId=${traceId}`);
      return complete(last) ? last : undefined;
    });
  } catch (error) {
    throw new Error(`trace ${traceId} incomplete: ${describeTrace(last)}`, { cause: error });
  }
}

/** Spans of the shared system tagged with this request id, whatever their trace. */
export const sharedSpansOfRequest = (requestId: string) =>
  getJson<ReceivedSpan[]>(inject('telemetry'), `/spans?requestId=${encodeURIComponent(requestId)}`);

/** The shared system's recent log lines (`service | json`) that contain `text`. */
export const sharedLogLines = (text: string) =>
  getJson<string[]>(inject('telemetry'), `/logs?contains=${encodeURIComponent(text)}`);

export const sharedContentTypes = () => getJson<string[]>(inject('telemetry'), '/content-types');

/** Spans whose parent is not in the list: a whole trace has exactly one, the root. */
export const orphans = (spans: ReceivedSpan[]) => {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
};

/**
 * True once the trace is whole: its root (the server span whose parent is the client's span) is
 * in, every other span's parent is in, and every service named has spans. The root ends last,
 * and each service exports its spans in the order they end, so nothing of it is still on the way.
 */
export const wholeTrace =
  (client: { parentId: string }, services: readonly string[] = []) =>
  (spans: ReceivedSpan[]): boolean => {
    const loose = orphans(spans);
    return (
      loose.length === 1 &&
      loose[0]!.parentSpanId === client.parentId &&
      services.every((service) => spans.some((s) => s.service === service))
    );
  };

export const named = (spans: ReceivedSpan[], service: string, name: string) =>
  spans.filter((s) => s.service === service && s.name === name);

export function parentOf(spans: ReceivedSpan[], span: ReceivedSpan): ReceivedSpan | undefined {
  return spans.find((s) => s.spanId === span.parentSpanId);
}

/** The span and its parents, up to the root. */
export function ancestry(spans: ReceivedSpan[], span: ReceivedSpan): ReceivedSpan[] {
  const chain = [span];
  for (let next = parentOf(spans, span); next; next = parentOf(spans, next)) chain.push(next);
  return chain;
}

export function describeTrace(spans: ReceivedSpan[]): string {
  return spans.map((s) => `${s.service}:${s.name}(${s.spanId}<-${s.parentSpanId ?? '-'})`).join(', ');
}
