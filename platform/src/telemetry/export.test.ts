import { context, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { guardExport, REDACTED, redactAttribute } from './export.js';

function exported(run: (tracer: ReturnType<BasicTracerProvider['getTracer']>) => void): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [guardExport(new SimpleSpanProcessor(exporter))] });
  run(provider.getTracer('test'));
  return exporter.getFinishedSpans();
}

describe('redactAttribute', () => {
  it('redacts the names the logs redact, wherever they end an attribute key', () => {
    expect(redactAttribute('http.request.header.authorization', ['Bearer abc'])).toBe(REDACTED);
    expect(redactAttribute('http.request.header.cookie', ['sid=1'])).toBe(REDACTED);
    expect(redactAttribute('http.request.header.x-api-key', ['k'])).toBe(REDACTED);
    expect(redactAttribute('http.request.header.x-edgeway-credential', ['signed'])).toBe(REDACTED);
    expect(redactAttribute('token', 'abc')).toBe(REDACTED);
    expect(redactAttribute('Authorization', 'abc')).toBe(REDACTED);
  });

  it('redacts GraphQL variables whatever their name', () => {
    expect(redactAttribute('graphql.variables.upc', '1')).toBe(REDACTED);
  });

  it('masks credentials in URL query strings and leaves the rest of the URL', () => {
    expect(redactAttribute('url.full', 'http://h/cb?code=1&access_token=abc&x=2')).toBe(
      `http://h/cb?code=1&access_token=${REDACTED}&x=2`,
    );
    expect(redactAttribute('url.query', '?token=abc')).toBe(`?token=${REDACTED}`);
  });

  it('leaves everything else alone', () => {
    expect(redactAttribute('http.request.header.x-request-id', ['r1'])).toEqual(['r1']);
    expect(redactAttribute('graphql.operation.name', 'Home')).toBe('Home');
    expect(redactAttribute('url.full', 'http://h/v1/prices?upc=1')).toBe('http://h/v1/prices?upc=1');
  });
});

describe('guardExport', () => {
  it('exports spans with sensitive attributes and event attributes redacted', () => {
    const [span] = exported((tracer) => {
      const s = tracer.startSpan('POST /graphql', {
        attributes: { 'http.request.header.authorization': ['Bearer secret'], 'url.full': 'http://h/?token=secret' },
      });
      s.addEvent('login', { access_token: 'secret', user: '1' });
      s.setAttribute('edgeway.request_id', 'r1');
      s.end();
    });
    expect(span!.attributes).toEqual({
      'http.request.header.authorization': REDACTED,
      'url.full': `http://h/?token=${REDACTED}`,
      'edgeway.request_id': 'r1',
    });
    expect(span!.events[0]!.attributes).toEqual({ access_token: REDACTED, user: '1' });
    expect(JSON.stringify(span!.attributes)).not.toContain('secret');
  });

  it('drops the GraphQL parse spans a service makes at start, outside any request, but not those of a request', () => {
    const spans = exported((tracer) => {
      tracer.startSpan('graphql.parseSchema').end();
      const request = tracer.startSpan('POST /graphql');
      tracer.startSpan('graphql.parse', {}, trace.setSpan(context.active(), request)).end();
      request.end();
    });
    expect(spans.map((s) => s.name)).toEqual(['graphql.parse', 'POST /graphql']);
  });
});
