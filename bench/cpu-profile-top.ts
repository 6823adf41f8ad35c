/*
 * The heaviest parts of a V8 CPU profile (`--cpu-profile` of the summary or
 * finance-page benchmark): self time per function and per package or
 * bundle chunk, with the share of all samples that were not idle.
 *
 *   yarn bench profile-top <file.cpuprofile> [--top 25]
 */
import { readFileSync } from 'node:fs';
import { option } from './org/seed';

interface ProfileNode {
  id: number;
  callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
    columnNumber: number;
  };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);

/** `node_modules/<package>` (scoped too), else the file's last path part. */
function placeOf(url: string): string {
  if (!url) return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return url.split('/').pop()!.split('?')[0];
}

function main() {
  const file = process.argv.slice(2).find(arg => !arg.startsWith('--'));
  if (!file) {
    console.error('yarn bench profile-top <file.cpuprofile> [--top 25]');
    process.exit(2);
  }
  const top = Number(option('top') ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map(node => [node.id, node]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    selfMs.set(id, (selfMs.get(id) ?? 0) + ms);
  });

  const perFunction = new Map<string, number>();
  const perPlace = new Map<string, number>();
  const special = new Map<string, number>();
  let busy = 0;
  for (const [id, ms] of selfMs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (IDLE.has(functionName)) {
      special.set(functionName, (special.get(functionName) ?? 0) + ms);
      if (functionName !== '(idle)') busy += ms;
      continue;
    }
    busy += ms;
    const place = placeOf(url);
    const name = `${functionName || '(anonymous)'} ${place}:${lineNumber + 1}`;
    perFunction.set(name, (perFunction.get(name) ?? 0) + ms);
    perPlace.set(place, (perPlace.get(place) ?? 0) + ms);
  }

  const print = (title: string, entries: Map<string, number>) => {
    console.log(`\n${title}`);
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([name, ms]) =>
        console.log(
          `${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / busy)
            .toFixed(1)
            .padStart(5)} %  ${name}`,
        ),
      );
  };
  console.log(
    `${busy.toFixed(0)} ms busy; ${[...special]
      .map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`)
      .join(', ')}`,
  );
  print('Self time by package or chunk', perPlace);
  print('Self time by function', perFunction);
}

main();
