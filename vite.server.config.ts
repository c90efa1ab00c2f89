import { defineConfig } from 'vite';

/**
 * The server (BFF and the embedded cluster) as one ES module, so that `npm start` loads built JavaScript
 * instead of transpiling several hundred TypeScript files at every start. Packages stay in node_modules.
 */
export default defineConfig({
  publicDir: false,
  build: {
    ssr: 'src/bff/server.ts',
    outDir: 'dist/bff',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rolldownOptions: { output: { entryFileNames: 'server.js', chunkFileNames: 'chunks/[name]-[hash].js' } },
  },
});
