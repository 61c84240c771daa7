import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// `npm run dev` proxies the API to a locally running `tripgen serve` (default port 18090).
const api = process.env.TRIPGEN_URL ?? 'http://127.0.0.1:18090';

export default defineConfig({
  plugins: [preact()],
  // The map renderer (MapLibre GL, ~1.1 MB minified) is its own chunk, loaded only with a map.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2020', chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': { target: api, changeOrigin: false } } },
});
