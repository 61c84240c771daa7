import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// `npm run dev` proxies the API to a locally running `tripgen serve` (default port 18090).
const api = process.env.TRIPGEN_URL ?? 'http://127.0.0.1:18090';

export default defineConfig({
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2020' },
  server: { proxy: { '/api': { target: api, changeOrigin: false } } },
});
