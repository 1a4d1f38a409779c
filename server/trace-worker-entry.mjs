// Piscina loads this file in the server's trace thread; Strata runs its TypeScript through tsx.
import { register } from 'tsx/esm/api';

register();
const { default: work } = await import('./trace-worker.ts');
export default work;
