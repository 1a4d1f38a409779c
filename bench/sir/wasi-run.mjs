// Runs a WASI build of sir_ref.c (bench/sir/anchor.ts) in this Node: wasi-run.mjs sir_ref.wasm edges n beta gamma reps seed variant.
/* global WebAssembly */
// The edge list's folder is the only one the module sees (as /graph); it prints sir_ref's own stats line.
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import process from 'node:process';
import { WASI } from 'node:wasi';

const [wasmFile, edges, ...rest] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: ['sir_ref', `/graph/${basename(edges)}`, ...rest], preopens: { '/graph': dirname(resolve(edges)) } });
const instance = await WebAssembly.instantiate(new WebAssembly.Module(readFileSync(wasmFile)), wasi.getImportObject());
process.exitCode = wasi.start(instance);
