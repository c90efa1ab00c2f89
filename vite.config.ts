import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist/ui',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:5050',
      '/mesos': 'http://127.0.0.1:5050',
      '/agent': 'http://127.0.0.1:5050',
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/{mesos,cluster,bff,cli}/**/*.test.ts', 'examples/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'ui',
          environment: 'jsdom',
          include: ['src/ui/**/*.test.{ts,tsx}'],
          // jsdom renders a 300-row table in well under a second alone, but several seconds on two busy cores.
          testTimeout: 15_000,
        },
      },
    ],
  },
});
