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

const frameKey = (frame: ProfileNode['callFrame']): string =>
  `${frame.functionName || '(anonymous)'}  [${area(frame.url)}:${frame.lineNumber + 1}]`;

const isIdle = (name: string | undefined): boolean => name === '(idle)' || name === '(program)';

/** Microseconds of samples per node (its self time). */
function selfTimes(profile: Profile): Map<number, number> {
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return selfUs;
}

interface Totals {
  selfByFunction: Map<string, number>;
  selfByArea: Map<string, number>;
  inclusiveOwn: Map<string, number>;
}

const add = (map: Map<string, number>, key: string, us: number): void => {
  map.set(key, (map.get(key) ?? 0) + us);
};

function totalsOf(profile: Profile, selfUs: Map<number, number>): Totals {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const totals: Totals = {
    selfByFunction: new Map(),
    selfByArea: new Map(),
    inclusiveOwn: new Map(),
  };
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node || isIdle(node.callFrame.functionName || '(anonymous)')) continue;
    add(totals.selfByFunction, frameKey(node.callFrame), us);
    add(totals.selfByArea, area(node.callFrame.url), us);
    // Inclusive time of the service's own functions: walk up the stack once per function.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame || !/\/src\//.test(frame.url) || frame.url.includes('node_modules')) continue;
      const ownKey = frameKey(frame);
      if (seen.has(ownKey)) continue;
      seen.add(ownKey);
      add(totals.inclusiveOwn, ownKey, us);
    }
  }
  return totals;
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
  const top = Number(topArg ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = selfTimes(profile);
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idle = [...selfUs.entries()]
    .filter(([id]) => isIdle(byId.get(id)?.callFrame.functionName ?? ''))
    .reduce((a, [, us]) => a + us, 0);
  const busy = total - idle;
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1)}%`;
  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([key, us]) =>
        console.log(`${pct(us).padStart(7)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`),
      );
  };
  const wallUs = profile.endTime - profile.startTime;
  console.log(
    `${file}: ${(wallUs / 1e6).toFixed(1)} s wall, ${(busy / 1e6).toFixed(1)} s on the JS thread (${((busy / wallUs) * 100).toFixed(0)}%)`,
  );
  const totals = totalsOf(profile, selfUs);
  print('Self time by package / source folder', totals.selfByArea);
  print('Self time by function', totals.selfByFunction);
  print("Inclusive time of the service's functions", totals.inclusiveOwn);
}

main();
