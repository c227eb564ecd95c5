import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import tailwindcss from '@tailwindcss/vite';

export default defineConfig({
  plugins: [tailwindcss(), svelte()],
  // dist/.gitkeep must survive: scripts/clean-dist.mjs empties dist before a build.
  build: { outDir: 'dist', emptyOutDir: false, assetsInlineLimit: 0 },
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test-setup.ts'],
    // jsdom's role queries are slow on a busy 2-core machine (CI builds beside
    // them): a test that passes in 300 ms must not fail at the 5 s default.
    testTimeout: 20000,
  },
});
