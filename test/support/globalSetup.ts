import type { TestProject } from 'vitest/node';
import { launchSystem, type ServiceName } from '../../scripts/system.js';

export type SystemUrls = Record<ServiceName, string>;

declare module 'vitest' {
  export interface ProvidedContext {
    system: SystemUrls;
  }
}

/** Boots the whole system once on free ports for every system test, and stops it after. */
export default async function setup(project: TestProject) {
  const tail: string[] = [];
  const system = await launchSystem({
    ports: 'free',
    env: { LOG_LEVEL: process.env.SYSTEM_LOG_LEVEL ?? 'info', NODE_ENV: 'test' },
    onLine: (service, line) => {
      tail.push(`${service} | ${line}`);
      if (tail.length > 200) tail.shift();
      if (process.env.SYSTEM_LOGS) process.stdout.write(`${service} | ${line}\n`);
    },
  }).catch((error: unknown) => {
    process.stderr.write(`${tail.join('\n')}\n`);
    throw error;
  });
  project.provide('system', Object.fromEntries(system.services.map((s) => [s.name, s.url])) as SystemUrls);
  return () => system.stop();
}
