import { defineConfig } from 'vite';

/**
 * The dashboard (viz/): built by `strata serve` on first start (or `npx vite build`) into viz/dist, which the
 * server serves; `npx vite` serves it for development with the API proxied to a running `strata serve`.
 */
export default defineConfig({
  root: 'viz',
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      // zod 4 places `@__PURE__` comments where Rollup cannot read them; Rollup drops them (the bundle is
      // the same either way) and says so on every first `strata serve`. Any other warning is shown.
      onwarn(warning, show) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
        show(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:7480' } },
  logLevel: 'warn',
});
