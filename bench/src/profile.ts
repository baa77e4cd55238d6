// Summarises a V8 CPU profile (`node --cpu-prof`): where the time went, by function and by package.
//   node --import tsx bench/src/profile.ts bench/results/profiles/<gateway>/<file>.cpuprofile [top] [last seconds]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function packageOf(url: string): string {
  if (!url) return '(native/gc)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match?.[1]) return match[1];
  if (url.startsWith('node:')) return 'node core';
  return /\/work\/[^/]+\/([^/]+)\//.exec(url)?.[1] ?? url;
}

/** `lastSeconds` keeps only the end of the profile (the load, not the start-up). */
export function summarise(profile: Profile, top = 25, lastSeconds = Infinity): string {
  const self = new Map<number, number>();
  const from = profile.endTime - lastSeconds * 1e6;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= from) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const time = self.get(node.id) ?? 0;
    if (!time) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url
      ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/\/work\/[^/]+\//, '')}:${lineNumber + 1}`
      : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + time);
    byPackage.set(packageOf(url), (byPackage.get(packageOf(url)) ?? 0) + time);
  }
  const rows = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, time]) => `${((100 * time) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  return `total ${(total / 1e6).toFixed(1)} s sampled\n\nby package\n${rows(byPackage)}\n\nby function (self time)\n${rows(byFunction)}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const [file, top, last] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile.ts <file.cpuprofile> [top] [last seconds]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  process.stdout.write(summarise(profile, Number(top ?? 25), Number(last ?? Infinity)));
}
