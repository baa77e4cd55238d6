import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * A system binary some tests need (Redis, a browser). On a user's machine without it those tests
 * are skipped, announced by one line naming the package to install; under CI (`CI=true`, where
 * .ci/run installs it) its absence fails the run instead of passing quietly.
 */
export interface Prerequisite {
  /** The executable: a bare name searched on PATH, or an absolute path. */
  command: string;
  /** The Debian package that provides it. */
  aptPackage: string;
  /** What is skipped without it. */
  what: string;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `command` can be run here. */
export function installed(command: string): boolean {
  if (command.includes('/')) return executable(command);
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && executable(join(dir, command)));
}

/**
 * True when the prerequisite is here. Otherwise prints why the tests are skipped and returns
 * false, or, under CI, throws so the test file fails.
 */
export function available(prerequisite: Prerequisite): boolean {
  if (installed(prerequisite.command)) return true;
  const line = `${prerequisite.what}: skipped, ${prerequisite.command} is not installed (apt-get install ${prerequisite.aptPackage})`;
  if (process.env.CI === 'true') throw new Error(`${line}; CI must install it`);
  process.stderr.write(`${line}\n`);
  return false;
}
