import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir, type NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtSince, shownAddress } from '../../../cli/commands/serve.js';

describe('strata serve: when the front end is built again', () => {
  it('rebuilds when any source it bundles is newer: its own, or an engine module the browser replays with', () => {
    const root = mkdtempSync(join(tmpdir(), 'strata-serve-'));
    const viz = join(root, 'viz');
    const engine = join(root, 'engine', 'kernel');
    mkdirSync(join(viz, 'dist'), { recursive: true });
    mkdirSync(engine, { recursive: true });
    const at = (file: string, seconds: number) => (writeFileSync(file, ''), utimesSync(file, seconds, seconds));
    at(join(viz, 'main.ts'), 100);
    at(join(engine, 'kernel.ts'), 100);
    at(join(viz, 'dist', 'index.html'), 200);
    // Its own dist is not a source.
    at(join(viz, 'dist', 'later.js'), 300);
    const sources = [viz, join(root, 'engine')];
    expect(builtSince(join(viz, 'dist', 'index.html'), sources)).toBe(true);
    // A kernel change after the build: the bundle's replays would no longer be the server's runs.
    at(join(engine, 'kernel.ts'), 250);
    expect(builtSince(join(viz, 'dist', 'index.html'), sources)).toBe(false);
    expect(builtSince(join(viz, 'dist', 'index.html'), [viz])).toBe(true);
    expect(builtSince(join(viz, 'dist', 'missing.html'), [viz])).toBe(false);
  });
});

const nic = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) => ({ address, family, internal, netmask: '', mac: '', cidr: null }) as NetworkInterfaceInfo;

describe("serve's printed address", () => {
  it("names this machine's external IPv4 address for a wildcard host, and the host as given otherwise", () => {
    const interfaces = { lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)], eth0: [nic('fe80::1', 'IPv6', false), nic('192.168.1.20', 'IPv4', false)] };
    expect(shownAddress('0.0.0.0', interfaces)).toBe('192.168.1.20');
    expect(shownAddress('::', interfaces)).toBe('192.168.1.20');
    expect(shownAddress('127.0.0.1', interfaces)).toBe('127.0.0.1');
    expect(shownAddress('::1', interfaces)).toBe('[::1]');
    // No external address (a machine offline): the wildcard as given.
    expect(shownAddress('0.0.0.0', { lo: [nic('127.0.0.1', 'IPv4', true)] })).toBe('0.0.0.0');
    // A container's bridge or a tunnel listed first is passed over for the machine's own network.
    expect(shownAddress('0.0.0.0', { docker0: [nic('172.17.0.1', 'IPv4', false)], tun0: [nic('10.8.0.2', 'IPv4', false)], wlan0: [nic('192.168.1.20', 'IPv4', false)] })).toBe('192.168.1.20');
    // Only virtual ones: the first of them rather than nothing.
    expect(shownAddress('0.0.0.0', { docker0: [nic('172.17.0.1', 'IPv4', false)] })).toBe('172.17.0.1');
  });
});
