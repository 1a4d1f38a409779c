import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { main, round, type LaunchOptions, type Measurements } from '../harness/launch.js';

/**
 * The dashboard in headless Chromium (Debian's, as the browser tests), against a fresh `strata serve`:
 *
 * - `wardAnimatingMs`: from opening the printed URL to the WannaCry cascade on `ward` animating (frames
 *   advancing) — the README's promise of two seconds;
 * - `acuteTrustFps`: frames per second while `acute-trust`'s WannaCry run plays (5 s of requestAnimationFrame
 *   frames; the display's refresh, 60 Hz headless, is the ceiling), and `acuteTrustDrawMsP50`/`P95`: the
 *   time to replay and draw one frame (8,285 members), the headroom under the 16.7 ms a 60 Hz frame allows;
 * - `nhsEnglandFirstRenderMsCold`/`Warm`: from opening the cascade on `nhs-england` to its aggregated first
 *   render, with the twin built by this request (cold) and cached by the server (warm); `…RunShownMs…`: on to
 *   the run's trace (WannaCry, computed by the server) loaded and shown.
 *
 * One launch is one fresh server and browser; the runner takes the median of three.
 *
 *   npx tsx bench/run.ts dashboard
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function serve(): Promise<{ url: string; stop: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-dashboard-'));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  const child = spawn(process.execPath, [resolve('cli/bin.mjs'), 'serve', '--port', '0', '--db', join(dir, 'results.duckdb'), '--workers', '0', '--stop-after', '900'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(out);
      if (match) done(match[0]);
    });
    child.on('exit', (code) => fail(new Error(`strata serve exited with ${code}`)));
  });
  // The store goes once the server has let it go (every launch left its directory, with the browser's profile).
  return {
    url,
    stop: () => {
      child.once('exit', cleanUp);
      child.kill('SIGTERM');
    },
  };
}

export async function measure(options: LaunchOptions): Promise<Measurements> {
  const server = await serve();
  const profile = mkdtempSync(join(tmpdir(), 'strata-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const frames = () => page.evaluate(() => ((window as unknown as { strataFrames?: number[] }).strataFrames ?? []).slice());

    let start = Date.now();
    await page.goto(server.url);
    await page.waitForFunction(() => ((window as unknown as { strataFrames?: number[] }).strataFrames ?? []).length >= 2, null, { timeout: 30_000 });
    const wardAnimatingMs = Date.now() - start;

    await page.goto(`${server.url}#/cascade?scenario=wannacry-down&twin=acute-trust&run=3&speed=2&play=1`);
    await page.reload();
    await page.waitForFunction(() => ((window as unknown as { strataFrames?: number[] }).strataFrames ?? []).length >= 30, null, { timeout: 60_000 });
    const seconds = options.quick ? 1 : 5;
    const before = await frames();
    await page.waitForTimeout(seconds * 1000);
    const after = await frames();
    const stamps = after.filter((t) => t > before[before.length - 1]!);
    const fps = stamps.length > 1 ? ((stamps.length - 1) * 1000) / (stamps[stamps.length - 1]! - stamps[0]!) : 0;
    const draws = (await page.evaluate(() => ((window as unknown as { strataDrawMs?: number[] }).strataDrawMs ?? []).slice())).sort((a, b) => a - b);
    const q = (p: number) => draws[Math.min(draws.length - 1, Math.floor(p * draws.length))] ?? NaN;

    // To the first render (the aggregated twin), then on to the run's trace playing (computed by the server).
    const national = async (): Promise<[number, number]> => {
      await page.goto(`${server.url}#/cascade?scenario=wannacry-down&twin=nhs-england&run=0`);
      start = Date.now();
      await page.reload();
      await page.waitForFunction(() => (window as unknown as { strataFirstRender?: number }).strataFirstRender !== undefined, null, { timeout: 60_000 });
      const first = Date.now() - start;
      await page.waitForFunction(() => (window as unknown as { strataOutcome?: unknown }).strataOutcome !== undefined, null, { timeout: 120_000 });
      return [first, Date.now() - start];
    };
    const [cold, coldTrace] = options.quick ? [NaN, NaN] : await national();
    const [warm, warmTrace] = options.quick ? [NaN, NaN] : await national();
    // Not opened in the quick form: null, not a claim.
    const aggregated = options.quick ? null : await page.evaluate(() => (window as unknown as { strataDrawn?: { mode: string } }).strataDrawn?.mode === 'aggregate');
    return {
      wardAnimatingMs,
      acuteTrustFps: round(fps, 1),
      acuteTrustDrawMsP50: round(q(0.5), 2),
      acuteTrustDrawMsP95: round(q(0.95), 2),
      nhsEnglandFirstRenderMsCold: Number.isFinite(cold) ? cold : null,
      nhsEnglandFirstRenderMsWarm: Number.isFinite(warm) ? warm : null,
      nhsEnglandRunShownMsCold: Number.isFinite(coldTrace) ? coldTrace : null,
      nhsEnglandRunShownMsWarm: Number.isFinite(warmTrace) ? warmTrace : null,
      nhsEnglandAggregated: aggregated,
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    server.stop();
  }
}

await main(import.meta.url, measure);
