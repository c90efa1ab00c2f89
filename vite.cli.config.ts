import { defineConfig } from 'vite';

/**
 * The `mesoscope` CLI as built JavaScript, so that its bin runs on node alone (tsx is a dev dependency).
 * `built-server.js` is an entry of its own: the bin checks with it that the build is there and not older than
 * the sources before it loads `main.js`. Packages stay in node_modules.
 */
export default defineConfig({
  publicDir: false,
  build: {
    ssr: true,
    outDir: 'dist/cli',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rolldownOptions: {
      input: { main: 'src/cli/main.ts', 'built-server': 'src/cli/built-server.ts' },
      output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
