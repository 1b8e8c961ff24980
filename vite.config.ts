/**
 * Builds the renderer (src-renderer) into out/renderer, which the daemon serves at `/` and the desktop
 * window loads from there. Relative asset URLs, so the page works under any base path.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./src-renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./out/renderer', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    // Electron 45 is Chromium 156; top-level await in main.tsx needs ES2022+.
    target: 'es2023',
    sourcemap: true,
    // No inline <script> or data: modules: the CSP allows scripts from our origin only.
    assetsInlineLimit: 0,
  },
});
