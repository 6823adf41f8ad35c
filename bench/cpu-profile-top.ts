/*
 * The heaviest parts of a V8 CPU profile (`--cpu-profile` of the summary or
 * finance-page benchmark): self time per function and per package or
 * bundle chunk, with the share of all samples that were not idle.
 *
 *   yarn bench profile-top <file.cpuprofile> [--top 25] [--source-maps <dir>]
 *
 * `--source-maps packages/app/dist/static` maps a minified app bundle's
 * frames back through the chunks' `.map` files to the packages and source
 * files they came from (the chunks are named by number, not by package).
 */
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** Frames of bundle chunks resolved through their source maps. */
class SourceMaps {
  private readonly maps = new Map<string, TraceMap | null>();

  constructor(private readonly directory: string) {}

  resolve(frame: ProfileNode['callFrame']): { url: string; name?: string } {
    const file = frame.url.split('?')[0].split('/').pop() ?? '';
    if (!this.maps.has(file)) {
      const path = join(this.directory, `${file}.map`);
      this.maps.set(
        file,
        file && existsSync(path)
          ? new TraceMap(readFileSync(path, 'utf8'))
          : null,
      );
    }
    const map = this.maps.get(file);
    if (!map || frame.lineNumber < 0) return { url: frame.url };
    const original = originalPositionFor(map, {
      line: frame.lineNumber + 1,
      column: frame.columnNumber,
    });
    return original.source
      ? {
          url: `${original.source}:${original.line}`,
          name: original.name ?? undefined,
        }
      : { url: frame.url };
  }
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
  return url.split('/').pop()!.split(/[?:]/)[0];
}

function main() {
  const file = process.argv.slice(2).find(arg => !arg.startsWith('--'));
  if (!file) {
    console.error('yarn bench profile-top <file.cpuprofile> [--top 25]');
    process.exit(2);
  }
  const top = Number(option('top') ?? 25);
  const sourceMapDir = option('source-maps');
  const maps = sourceMapDir ? new SourceMaps(sourceMapDir) : undefined;
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
    const frame = byId.get(id)!.callFrame;
    const { functionName } = frame;
    if (IDLE.has(functionName)) {
      special.set(functionName, (special.get(functionName) ?? 0) + ms);
      if (functionName !== '(idle)') busy += ms;
      continue;
    }
    busy += ms;
    const mapped = maps?.resolve(frame);
    const resolved = mapped?.url === frame.url ? undefined : mapped;
    const url = resolved?.url ?? frame.url;
    const place = placeOf(url);
    const where = resolved
      ? url.split('/').slice(-2).join('/')
      : `${place}:${frame.lineNumber + 1}`;
    const name = `${functionName || resolved?.name || '(anonymous)'} ${where}`;
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
