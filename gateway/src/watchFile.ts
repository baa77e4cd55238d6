import { unwatchFile, watchFile } from 'node:fs';

export interface SettledWatchOptions {
  /**
   * How often the file's metadata is checked. Polling (`fs.watchFile`), not `fs.watch`: it sees a
   * file replaced by rename (editors, `mv`) and a Kubernetes ConfigMap's symlink swap alike.
   * @default 1000
   */
  pollIntervalMs?: number;
  /** Quiet time after a change before the file is read, so a file written in steps is read whole. @default 200 */
  settleMs?: number;
}

/**
 * Calls `reload` once a change to `path` has settled, and once at once: a change written between
 * the caller's first read and the watcher's first look would otherwise be taken as the watcher's
 * starting point and never seen (`reload` compares with what it serves, so the extra look is
 * free). The returned function stops watching.
 */
export function watchSettled(path: string, options: SettledWatchOptions, reload: () => Promise<void>): () => void {
  let settle: NodeJS.Timeout | undefined;
  const onChange = () => {
    clearTimeout(settle);
    settle = setTimeout(() => void reload(), options.settleMs ?? 200);
  };
  watchFile(path, { interval: options.pollIntervalMs ?? 1000, persistent: false }, onChange);
  onChange();
  return () => {
    unwatchFile(path, onChange);
    clearTimeout(settle);
  };
}
