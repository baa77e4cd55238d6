/** One exported span, the same whether it came as OTLP protobuf or OTLP JSON. */
export interface ReceivedSpan {
  service: string;
  scope: string;
  traceId: string;
  spanId: string;
  /** Undefined for a root span. */
  parentSpanId: string | undefined;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
}

// --- protobuf: just enough of the wire format to read an ExportTraceServiceRequest ---

type Field = { wire: 0; value: bigint } | { wire: 1 | 2 | 5; value: Buffer };

function readVarint(buf: Buffer, at: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buf[at++]!;
    result |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return [result, at];
    shift += 7n;
  }
}

/** A message's fields by number, each a list (repeated fields keep their order). */
function fields(buf: Buffer): Map<number, Field[]> {
  const out = new Map<number, Field[]>();
  let at = 0;
  while (at < buf.length) {
    const [tag, next] = readVarint(buf, at);
    at = next;
    const number = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    let field: Field;
    if (wire === 0) {
      const [value, after] = readVarint(buf, at);
      field = { wire, value };
      at = after;
    } else if (wire === 2) {
      const [length, after] = readVarint(buf, at);
      field = { wire, value: buf.subarray(after, after + Number(length)) };
      at = after + Number(length);
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      field = { wire, value: buf.subarray(at, at + size) };
      at += size;
    } else {
      throw new Error(`unsupported protobuf wire type ${wire}`);
    }
    out.set(number, [...(out.get(number) ?? []), field]);
  }
  return out;
}

const bytesOf = (m: Map<number, Field[]>, n: number): Buffer[] =>
  (m.get(n) ?? []).flatMap((f) => (f.wire === 0 ? [] : [f.value]));
const one = (m: Map<number, Field[]>, n: number): Buffer | undefined => bytesOf(m, n)[0];
const str = (m: Map<number, Field[]>, n: number): string => one(m, n)?.toString('utf8') ?? '';
const int = (m: Map<number, Field[]>, n: number): number => {
  const f = m.get(n)?.[0];
  return f?.wire === 0 ? Number(f.value) : 0;
};

function anyValue(buf: Buffer): unknown {
  const m = fields(buf);
  const [number, [field] = []] = [...m.entries()][0] ?? [0, []];
  if (!field) return undefined;
  if (number === 1) return (field.value as Buffer).toString('utf8');
  if (number === 2) return field.value === 1n;
  if (number === 3) return Number(field.value as bigint);
  if (number === 4) return (field.value as Buffer).readDoubleLE(0);
  if (number === 5) return bytesOf(fields(field.value as Buffer), 1).map(anyValue);
  return (field.value as Buffer).toString('hex');
}

function attributesOf(list: Buffer[]): Record<string, unknown> {
  return Object.fromEntries(
    list.map((kv) => fields(kv)).map((kv) => [str(kv, 1), anyValue(one(kv, 2) ?? Buffer.alloc(0))]),
  );
}

/** An ExportTraceServiceRequest in protobuf (`application/x-protobuf`). */
export function decodeProtobuf(body: Buffer): ReceivedSpan[] {
  return bytesOf(fields(body), 1).flatMap((rs) => {
    const resourceSpans = fields(rs);
    const resource = attributesOf(bytesOf(fields(one(resourceSpans, 1) ?? Buffer.alloc(0)), 1));
    return bytesOf(resourceSpans, 2).flatMap((ss) => {
      const scopeSpans = fields(ss);
      const scope = str(fields(one(scopeSpans, 1) ?? Buffer.alloc(0)), 1);
      return bytesOf(scopeSpans, 2).map((raw) => {
        const span = fields(raw);
        const status = fields(one(span, 15) ?? Buffer.alloc(0));
        const parent = one(span, 4)?.toString('hex');
        return {
          service: String(resource['service.name']),
          scope,
          traceId: one(span, 1)!.toString('hex'),
          spanId: one(span, 2)!.toString('hex'),
          parentSpanId: parent || undefined,
          name: str(span, 5),
          kind: int(span, 6),
          attributes: attributesOf(bytesOf(span, 9)),
          events: bytesOf(span, 11).map((e) => {
            const event = fields(e);
            return { name: str(event, 2), attributes: attributesOf(bytesOf(event, 3)) };
          }),
          status: { code: int(status, 3), message: str(status, 2) },
        };
      });
    });
  });
}

// --- JSON (the OTLP/HTTP JSON encoding: ids as hex, int64 possibly as strings) ---

interface JsonKeyValue {
  key: string;
  value: Record<string, unknown>;
}

function jsonValue(value: Record<string, unknown>): unknown {
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('arrayValue' in value) {
    return ((value.arrayValue as { values?: Array<Record<string, unknown>> }).values ?? []).map(jsonValue);
  }
  return undefined;
}

const jsonAttributes = (list: JsonKeyValue[] = []) =>
  Object.fromEntries(list.map((kv) => [kv.key, jsonValue(kv.value)]));

interface JsonRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: JsonKeyValue[] };
    scopeSpans?: Array<{
      scope?: { name?: string };
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number;
        attributes?: JsonKeyValue[];
        events?: Array<{ name: string; attributes?: JsonKeyValue[] }>;
        status?: { code?: number; message?: string };
      }>;
    }>;
  }>;
}

/** An ExportTraceServiceRequest in OTLP JSON (`application/json`). */
export function decodeJson(body: Buffer): ReceivedSpan[] {
  const request = JSON.parse(body.toString('utf8')) as JsonRequest;
  return (request.resourceSpans ?? []).flatMap((rs) => {
    const service = String(jsonAttributes(rs.resource?.attributes)['service.name']);
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((span) => ({
        service,
        scope: ss.scope?.name ?? '',
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId || undefined,
        name: span.name,
        kind: span.kind ?? 0,
        attributes: jsonAttributes(span.attributes),
        events: (span.events ?? []).map((e) => ({ name: e.name, attributes: jsonAttributes(e.attributes) })),
        status: { code: span.status?.code ?? 0, message: span.status?.message ?? '' },
      })),
    );
  });
}
