import { existsSync, readdirSync, statSync } from 'node:fs';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { packageRoot } from '../../engine/package-root.js';
import { newToken } from '../../server/security.js';
import { dbPath, DEFAULT_WORKERS, integer, MAX_WORKERS, noteUpgrade } from '../args.js';
import { UsageError } from '../errors.js';
import { onOwnInterrupt } from '../interrupt.js';
import { summary } from './index.js';

const ROOT = packageRoot(import.meta.url);
const VIZ = join(ROOT, 'viz');
const DIST = join(VIZ, 'dist');
export const DEFAULT_PORT = 7480;

/** Whether `built` exists and is no older than anything in `sources` (files, or directories but their dist). */
export function builtSince(built: string, sources: readonly string[]): boolean {
  return existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest));
}

/** The newest modification time of a file, or under a directory (skipping dist). */
function newest(dir: string): number {
  if (!statSync(dir).isDirectory()) return statSync(dir).mtimeMs;
  let latest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'dist') continue;
    const path = join(dir, name);
    const stat = statSync(path);
    latest = Math.max(latest, stat.isDirectory() ? newest(path) : stat.mtimeMs);
  }
  return latest;
}

/**
 * What the front end's bundle is built from: its own sources, and the engine and server modules it imports (the
 * browser replays what-ifs with the engine's own compile and kernel: a bundle older than a kernel change
 * replayed runs the server no longer gives).
 */
const BUNDLED = [VIZ, join(ROOT, 'engine'), join(ROOT, 'server'), join(ROOT, 'vite.config.ts')];

/** Builds the front end with Vite when viz/dist is missing or older than what it is built from (a few seconds, once). */
export async function ensureBuilt(force = false): Promise<string> {
  const index = join(DIST, 'index.html');
  if (!force && builtSince(index, BUNDLED)) return DIST;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), root: VIZ, logLevel: 'warn' });
  return DIST;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(summary('serve'))
    .option('--port <n>', 'the port (0: any free one)', integer('--port', 0, 65535), DEFAULT_PORT)
    .option('--host <host>', 'the address to listen on (anything but loopback lets other machines connect)', '127.0.0.1')
    .option('--db <file>', 'the results database (default: $STRATA_DB or ./strata.duckdb)')
    .option('--workers <n>', 'worker threads for batches started from the page', integer('--workers', 0, MAX_WORKERS), DEFAULT_WORKERS)
    .option('--stop-after <seconds>', 'stop by itself after this long (scripts and tests)', integer('--stop-after', 1, 86_400))
    .action(async (options: { port: number; host: string; db?: string; workers: number; stopAfter?: number }) => {
      if (!/^[\w.:[\]-]+$/.test(options.host)) throw new UsageError(`serve: --host must be a host name or address, got ${JSON.stringify(options.host)}`);
      const staticDir = await ensureBuilt();
      // The server and DuckDB, loaded only to serve (not for --help).
      const [{ buildServer }, { Store }] = await Promise.all([import('../../server/app.js'), import('../../store/index.js')]);
      const store = noteUpgrade(await Store.open(dbPath(options.db)));
      const token = newToken();
      const app = await buildServer({ host: options.host, port: options.port, token, store, staticDir, workers: options.workers });
      try {
        await app.listen({ host: options.host, port: options.port });
      } catch (error) {
        // A port in use or an address this machine does not have is the user's to change: exit 2, not an internal error.
        await app.close();
        await store.close();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new UsageError(`serve: --port ${options.port}: expected a free port, got one in use on ${options.host} (--port 0 takes any free one)`);
        if (code === 'EACCES') throw new UsageError(`serve: --port ${options.port}: expected a port this user may listen on, got one that needs privileges (use one above 1023)`);
        if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EADDRNOTAVAIL') throw new UsageError(`serve: --host ${options.host}: expected an address of this machine, got ${code === 'EADDRNOTAVAIL' ? 'one it does not have' : 'a name that does not resolve'}`);
        throw error;
      }
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const shown = shownAddress(options.host, networkInterfaces());
      const every = options.host === '0.0.0.0' || options.host === '::' ? ` (listening on every address of this machine${shown.startsWith('[') || shown === options.host ? '' : `; ${options.host} opens nowhere else`})` : '';
      process.stdout.write(`Strata is serving the dashboard at http://${shown}:${port}/?token=${token}${every}\n(the token lets this page start and cancel batches; Ctrl-C stops the server)\n`);
      const stop = async () => {
        await app.close();
        await store.close();
        process.exit(0);
      };
      // Ctrl-C and SIGTERM alike (cli/interrupt.ts).
      onOwnInterrupt(() => void stop());
      if (options.stopAfter) setTimeout(() => void stop(), options.stopAfter * 1000).unref();
      await new Promise(() => {});
    });
}

/** Interfaces of containers, virtual machines and tunnels: their addresses do not reach a room's laptops. */
const VIRTUAL = /^(docker|br-|veth|virbr|vboxnet|vmnet|tun|tap|utun|wg|zt|tailscale|lxc|lxd|podman|cni|flannel)/;

/**
 * The address the printed URL names: the host as given, or for a wildcard (0.0.0.0, ::) this machine's first
 * external IPv4 address, one of a physical interface before a container's, a VM's or a tunnel's, so the
 * tabletop's participant link built from the page's address opens on other machines (a link to 0.0.0.0 or
 * 127.0.0.1 opens nowhere else: a trial). IPv6 in brackets.
 */
export function shownAddress(host: string, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string {
  if (host === '0.0.0.0' || host === '::') {
    const external = Object.entries(interfaces).flatMap(([name, list]) => (list ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => ({ name, address: a.address })));
    const chosen = external.find((a) => !VIRTUAL.test(a.name)) ?? external[0];
    if (chosen) return chosen.address;
  }
  return host.includes(':') ? `[${host}]` : host;
}
