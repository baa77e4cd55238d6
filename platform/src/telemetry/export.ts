import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SENSITIVE_NAMES } from '../log/sensitive.js';

export const REDACTED = '[redacted]';

const SENSITIVE = new Set<string>(SENSITIVE_NAMES);
/** Attributes that hold a URL or its query string, whose sensitive parameters are masked. */
const URL_ATTRIBUTES = new Set(['url.full', 'url.query', 'http.url', 'http.target']);
const SENSITIVE_PARAM = new RegExp(`([?&](?:${SENSITIVE_NAMES.join('|')})=)[^&#]*`, 'gi');

/**
 * The value to export for an attribute, or REDACTED: the same names the logs redact
 * (`http.request.header.authorization`, `...cookie`, a `token` anywhere), GraphQL variables
 * whatever their name, and credentials in URL query strings.
 */
export function redactAttribute(key: string, value: unknown): unknown {
  const lower = key.toLowerCase();
  const last = lower.slice(lower.lastIndexOf('.') + 1);
  if (SENSITIVE.has(last) || lower.startsWith('graphql.variables.')) return REDACTED;
  if (URL_ATTRIBUTES.has(lower) && typeof value === 'string') return value.replace(SENSITIVE_PARAM, `$1${REDACTED}`);
  return value;
}

function redactInPlace(attributes: Record<string, unknown>, set: (key: string, value: string) => void): void {
  for (const [key, value] of Object.entries(attributes)) {
    const safe = redactAttribute(key, value);
    if (safe !== value) set(key, safe as string);
  }
}

/**
 * Spans nobody asked for: the GraphQL instrumentation traces every `parse` a service does at
 * start (its own schema, the supergraph), each as a trace of its own.
 */
function isStartupNoise(span: ReadableSpan): boolean {
  return span.parentSpanContext === undefined && span.name.startsWith('graphql.');
}

/**
 * Wraps the exporting processor: every span is redacted while it can still be changed
 * (`onEnding`), before any processor or exporter reads it, and startup noise is dropped.
 */
export function guardExport(inner: SpanProcessor): SpanProcessor {
  return {
    onStart: (span: Span, parent: Context) => inner.onStart(span, parent),
    onEnding(span: Span) {
      redactInPlace(span.attributes as Record<string, unknown>, (key, value) => span.setAttribute(key, value));
      for (const event of span.events) {
        const attributes = (event.attributes ?? {}) as Record<string, unknown>;
        redactInPlace(attributes, (key, value) => (attributes[key] = value));
      }
      inner.onEnding?.(span);
    },
    onEnd(span: ReadableSpan) {
      if (!isStartupNoise(span)) inner.onEnd(span);
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
}
