import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// `npm run dev` proxies the API and the development sign-in to a running `healthsync serve`.
const api = process.env.HEALTHSYNC_URL ?? 'http://127.0.0.1:8090';

export default defineConfig({
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2020' },
  server: { proxy: { '/api': api, '/dev-oidc': api, '/app-config.json': api } },
});
