import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web UI: built into dist/web, which the API process and the all-in-one serve at `/`.
// Everything is bundled (no CDN); the dev server proxies the API to a running Baton.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { '/api': process.env.BATON_URL ?? 'http://localhost:8080' } },
});
