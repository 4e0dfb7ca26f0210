/**
 * Builds the renderer (default) and, with `--mode preload`, the Electron preload as one
 * CommonJS file (a sandboxed preload cannot load modules). Assets use relative URLs so the
 * same build loads from app:// (Electron) and from the local host.
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export default defineConfig(({ mode }) =>
  mode === 'preload'
    ? {
        build: {
          outDir: resolve(root, 'dist', 'preload'),
          emptyOutDir: true,
          minify: false,
          sourcemap: false,
          lib: {
            entry: resolve(root, 'electron', 'app', 'preload.ts'),
            formats: ['cjs'],
            fileName: () => 'preload.cjs',
          },
          rollupOptions: { external: ['electron'] },
        },
      }
    : {
        root: resolve(root, 'renderer'),
        base: './',
        plugins: [react()],
        build: {
          outDir: resolve(root, 'dist', 'renderer'),
          emptyOutDir: true,
          sourcemap: false,
          // The module-preload polyfill would be an inline script, which the CSP forbids.
          modulePreload: { polyfill: false },
          assetsInlineLimit: 0,
          chunkSizeWarningLimit: 1024,
        },
        server: { host: '127.0.0.1' },
      },
);
