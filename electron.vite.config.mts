import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
const root = fileURLToPath(new URL('.', import.meta.url));
import react from '@vitejs/plugin-react';
import { leanDockerode } from './scripts/lean-dockerode.mjs';

// One build for the three Electron targets. The main build also emits the CLI: it shares core
// and runs under plain Node, so headless mode needs no Electron binary.
export default defineConfig({
  main: {
    plugins: [leanDockerode()],
    build: {
      // Bundled, so that leanDockerode can leave out the modules they load but we never use.
      externalizeDeps: { exclude: ['dockerode', 'docker-modem'] },
      rollupOptions: {
        input: {
          index: resolve(root, 'src/main/index.ts'),
          cli: resolve(root, 'src/main/cli/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { preload: resolve(root, 'src/main/preload.ts') },
        // A sandboxed preload cannot require() our modules or zod at run time: bundle everything.
        external: ['electron'],
      },
      externalizeDeps: false,
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    build: {
      // electron-vite leaves bundles unminified; the renderer is also served over HTTP in
      // headless mode, where size is load time.
      minify: true,
      rollupOptions: { input: resolve(root, 'src/renderer/index.html') },
    },
    plugins: [react()],
  },
});
