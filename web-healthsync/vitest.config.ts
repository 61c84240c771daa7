import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

export default defineConfig({
  plugins: [preact()],
  test: { environment: 'jsdom', include: ['src/**/*.test.{ts,tsx}'] },
});
