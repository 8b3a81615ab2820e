/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --profile <phase>`): self time by function
 * and by package or source folder, and inclusive time of the service's own functions.
 *
 *   node -r ts-node/register/transpile-only bench/src/profile-summary.ts bench-results/profiles/reads.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function area(url: string): string {
  if (!url) return '(native/V8)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const own = /\/(dist\/)?(src\/[^/]+(?:\/[^/]+)?)\//.exec(url);
  if (own) return own[2];
  if (url.startsWith('node:')) return url;
  return url
    .replace(/^file:\/\//, '')
    .split('/')
    .slice(-2)
    .join('/');
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
  const top = Number(topArg ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idle = [...selfUs.entries()]
    .filter(([id]) => ['(idle)', '(program)'].includes(byId.get(id)?.callFrame.functionName ?? ''))
    .reduce((a, [, us]) => a + us, 0);
  const busy = total - idle;
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1)}%`;

  const selfByFunction = new Map<string, number>();
  const selfByArea = new Map<string, number>();
  const inclusiveOwn = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') continue;
    const where = area(node.callFrame.url);
    const key = `${name}  [${where}:${node.callFrame.lineNumber + 1}]`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + us);
    selfByArea.set(where, (selfByArea.get(where) ?? 0) + us);
    // Inclusive time of the service's own functions: walk up the stack once per function.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame || !/\/src\//.test(frame.url) || frame.url.includes('node_modules')) continue;
      const ownKey = `${frame.functionName || '(anonymous)'}  [${area(frame.url)}:${frame.lineNumber + 1}]`;
      if (seen.has(ownKey)) continue;
      seen.add(ownKey);
      inclusiveOwn.set(ownKey, (inclusiveOwn.get(ownKey) ?? 0) + us);
    }
  }
  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([key, us]) =>
        console.log(`${pct(us).padStart(7)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`),
      );
  };
  console.log(
    `${file}: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s wall, ${(busy / 1e6).toFixed(1)} s on the JS thread (${((busy / (profile.endTime - profile.startTime)) * 100).toFixed(0)}%)`,
  );
  print('Self time by package / source folder', selfByArea);
  print('Self time by function', selfByFunction);
  print("Inclusive time of the service's functions", inclusiveOwn);
}

main();
