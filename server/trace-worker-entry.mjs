// Piscina loads this file in the server's model thread (trace-worker.ts: traces, the models of batches and fan
// charts, twins' layouts). Beside the ahead-of-time build (dist/server/) it imports the built module; beside the TypeScript
// sources it registers tsx first.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const built = new URL('./trace-worker.js', import.meta.url);
let module;
if (existsSync(built)) module = await import(built.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  module = await import('./trace-worker.ts');
}
const { default: work, model, documents, layout, entry } = module;
export { work as default, model, documents, layout, entry };
