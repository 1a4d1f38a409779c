import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STAMP } from '../../scripts/fresh.mjs';
import { tempDir } from './cli.js';

/**
 * cli/bin.mjs in a tree of its own: the real bin.mjs and fresh.mjs, a stub CLI in the sources and another in
 * dist/, each printing where it ran from. The real tree's build is never touched (other tests run it).
 */
function tree(): string {
  const root = tempDir();
  for (const d of ['cli', 'engine', 'scenarios', 'store', 'server', 'scripts', 'dist/cli']) mkdirSync(join(root, d), { recursive: true });
  copyFileSync(resolve('cli/bin.mjs'), join(root, 'cli', 'bin.mjs'));
  copyFileSync(resolve('scripts/fresh.mjs'), join(root, 'scripts', 'fresh.mjs'));
  symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  const stub = (from: string) => `export async function main(): Promise<number> {\n  console.log('${from}');\n  return 0;\n}\n`;
  writeFileSync(join(root, 'cli', 'main.ts'), stub('sources'));
  writeFileSync(join(root, 'dist', 'cli', 'main.js'), stub('dist').replace(': Promise<number>', ''));
  writeFileSync(join(root, 'dist', 'cli', 'bin.mjs'), '');
  const past = new Date(Date.now() - 60_000);
  for (const f of ['cli/main.ts', 'cli/bin.mjs']) utimesSync(join(root, f), past, past);
  writeFileSync(join(root, 'dist', STAMP), '{}\n');
  return root;
}

function run(root: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(root, 'cli', 'bin.mjs')], { encoding: 'utf8', env: { ...process.env, STRATA_SOURCES: '', ...env }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

describe('cli/bin.mjs', () => {
  it('runs a fresh build silently', () => {
    expect(run(tree())).toEqual({ code: 0, stdout: 'dist', stderr: '' });
  });

  it('runs the sources once one is newer than the build, and says so on one line', () => {
    const root = tree();
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'cli', 'main.ts'), future, future);
    const stale = run(root);
    expect([stale.code, stale.stdout]).toEqual([0, 'sources']);
    expect(stale.stderr).toBe('strata: dist/ is older than the sources, so the sources run through tsx (a slower start); `npm run build` rebuilds it\n');
  });

  it('says when there is no build at all (installed with --ignore-scripts)', () => {
    const root = tree();
    rmSync(join(root, 'dist', STAMP));
    const unbuilt = run(root);
    expect([unbuilt.code, unbuilt.stdout]).toEqual([0, 'sources']);
    expect(unbuilt.stderr).toBe('strata: dist/ is not built, so the sources run through tsx (a slower start); `npm run build` builds it\n');
  });

  it('runs the sources without a word when STRATA_SOURCES=1 asks for them', () => {
    expect(run(tree(), { STRATA_SOURCES: '1' })).toEqual({ code: 0, stdout: 'sources', stderr: '' });
  });

  it("ends with the work's own exit code when a reader of stdout and stderr stops early (`2>&1 | head -1`)", () => {
    // The CLI writes its one line, then, once the reader has gone, two notes on stderr and returns 3 (any code
    // of its own): a note to a closed pipe had ended the process with exit 1 and no word (a trial). (A write to
    // a closed stdout ends it with 0 at once, as before: not what this tests.)
    const root = tree();
    const main = `export async function main() {
  console.log('row 0');
  await new Promise((done) => setTimeout(done, 300));
  process.stderr.write('wrote t.svg\\n');
  await new Promise((done) => setTimeout(done, 50));
  process.stderr.write('wrote u.svg\\n');
  return 3;
}
`;
    writeFileSync(join(root, 'dist', 'cli', 'main.js'), main);
    const piped = spawnSync('bash', ['-c', `"${process.execPath}" "${join(root, 'cli', 'bin.mjs')}" 2>&1 | head -1; exit \${PIPESTATUS[0]}`], { encoding: 'utf8', env: { ...process.env, STRATA_SOURCES: '' }, timeout: 60_000 });
    expect([piped.status, piped.stdout]).toEqual([3, 'row 0\n']);
  });
});
