#!/usr/bin/env node
// The `strata` command. Strata runs its TypeScript sources through tsx, registered here before the CLI loads.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
