import { defineConfig } from 'vite';

/**
 * The dashboard (viz/): built by `strata serve` on first start (or `npx vite build`) into viz/dist, which the
 * server serves; `npx vite` serves it for development with the API proxied to a running `strata serve`.
 */
export default defineConfig({
  root: 'viz',
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1024 },
  server: { proxy: { '/api': 'http://127.0.0.1:7480' } },
  logLevel: 'warn',
});
