// Piscina loads this file in each worker thread. Beside the ahead-of-time build (dist/engine/batch/) it
// imports the built worker; beside the TypeScript sources it registers tsx first.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const built = new URL('./worker.js', import.meta.url);
let work;
if (existsSync(built)) ({ default: work } = await import(built.href));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ default: work } = await import('./worker.ts'));
}
export default work;
