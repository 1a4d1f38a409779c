import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Self time per function from V8 CPU profiles (`node --cpu-prof`), summed over every profile in a folder
 * (one per thread). tsx hands V8 whitespace-minified code, so line numbers are all 1: functions are told
 * apart by name and file only.
 */
export interface ProfileEntry {
  function: string;
  file: string;
  selfMs: number;
  selfPercent: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * `within`: keep only functions whose file starts with this prefix (e.g. `engine/`), percentages then
 * being shares of their total — the view that says where the engine's own time goes.
 */
export function summariseProfiles(dir: string, top = 20, within?: string): { totalMs: number; entries: ProfileEntry[] } {
  const self = new Map<string, number>();
  let totalUs = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    for (let i = 0; i < profile.samples.length; i++) {
      const frame = byId.get(profile.samples[i]!);
      const dt = profile.timeDeltas[i] ?? 0;
      if (!frame) continue;
      if (within !== undefined && !shorten(frame.url).startsWith(within)) continue;
      totalUs += dt;
      const key = `${frame.functionName || '(anonymous)'}\t${shorten(frame.url)}`;
      self.set(key, (self.get(key) ?? 0) + dt);
    }
  }
  const entries = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => {
      const [fn, file] = key.split('\t') as [string, string];
      return { function: fn, file, selfMs: Math.round(us / 100) / 10, selfPercent: Math.round((1000 * us) / totalUs) / 10 };
    });
  return { totalMs: Math.round(totalUs / 1000), entries };
}

function shorten(url: string): string {
  const i = url.search(/\/(engine|bench|scenarios|node_modules)\//);
  return i >= 0 ? url.slice(i + 1) : url.replace(/^node:/, 'node:');
}
