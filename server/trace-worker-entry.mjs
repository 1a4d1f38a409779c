// Piscina loads this file in the server's trace thread. Beside the ahead-of-time build (dist/server/) it
// imports the built module; beside the TypeScript sources it registers tsx first.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const built = new URL('./trace-worker.js', import.meta.url);
let work;
if (existsSync(built)) ({ default: work } = await import(built.href));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ default: work } = await import('./trace-worker.ts'));
}
export default work;
