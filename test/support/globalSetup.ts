import type { TestProject } from 'vitest/node';
import { launchSystem, type ServiceName } from '../../scripts/system.js';
import { METRICS_TEST_CLIENT } from './metrics.js';
import { startOtlpReceiver } from './otlp.js';

export type SystemUrls = Record<ServiceName, string>;

declare module 'vitest' {
  export interface ProvidedContext {
    system: SystemUrls;
    /** The OTLP receiver every service exports to; also serves the system's log lines (support/telemetry.ts). */
    telemetry: string;
  }
}

/**
 * Boots the whole system once on free ports for every system test, and stops it after. Every
 * service exports the spans of client-sampled requests to an in-process OTLP receiver (protobuf;
 * pricing in JSON, so one trace crosses both encodings), which also serves the services' recent
 * log lines.
 */
export default async function setup(project: TestProject) {
  const tail: string[] = [];
  const lines: string[] = [];
  const telemetry = await startOtlpReceiver({ lines: () => lines });
  const system = await launchSystem({
    ports: 'free',
    env: {
      LOG_LEVEL: process.env.SYSTEM_LOG_LEVEL ?? 'info',
      NODE_ENV: 'test',
      // Every system test calls from one IP, a few hundred requests a minute: rate limits stay on
      // (their headers are checked) with budgets no test run reaches.
      RATE_LIMIT_MAX: '100000',
      RATE_LIMIT_ANONYMOUS_MAX: '100000',
      // Many test files share these services and two cores: a busy moment must not read as one
      // caller's overload. Shedding is tested on a system of its own (loadShedding.test.ts).
      SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
      // Short enough that the hostile corpus's trickled requests are cut off within a test.
      REQUEST_TIMEOUT_MS: '8000',
      HEADERS_TIMEOUT_MS: '5000',
      METRICS_CLIENT_NAMES: `bff-web,bff-mobile,${METRICS_TEST_CLIENT}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: telemetry.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '500',
      // Only requests that come with a sampled traceparent are recorded (the tests that look at
      // traces send one): the rest of the suite pays nothing for export.
      OTEL_TRACES_SAMPLER: 'parentbased_always_off',
    },
    serviceEnv: { pricing: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' } },
    onLine: (service, line) => {
      lines.push(`${service} | ${line}`);
      if (lines.length > 20_000) lines.splice(0, 5_000);
      tail.push(`${service} | ${line}`);
      if (tail.length > 200) tail.shift();
      if (process.env.SYSTEM_LOGS) process.stdout.write(`${service} | ${line}\n`);
    },
  }).catch(async (error: unknown) => {
    process.stderr.write(`${tail.join('\n')}\n`);
    await telemetry.close();
    throw error;
  });
  project.provide('system', Object.fromEntries(system.services.map((s) => [s.name, s.url])) as SystemUrls);
  project.provide('telemetry', telemetry.url);
  return async () => {
    await system.stop();
    await telemetry.close();
  };
}
