// Vite builds the static app into dist/ (served by scripts/lib/app-server.mjs); Vitest runs the
// unit tests with the same resolution.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';

const scriptsLib = fileURLToPath(new URL('../scripts/lib/', import.meta.url));
const appEntry = fileURLToPath(new URL('./index.html', import.meta.url));

/**
 * The app imports the shared modules of scripts/lib/ (pack codes, sealing, the vault client).
 * Their bare imports (`@polkadot/util`, `@hpke/core`, …) would resolve from the repository's own
 * node_modules; resolving them as if app/ imported them keeps one copy of each package in the
 * bundle (one WebAssembly crypto instance), the app's lock file decides their versions, and the
 * build needs no `npm ci` at the root.
 */
function scriptsLibDependenciesFromApp(): Plugin {
  return {
    name: 'medchain:scripts-lib-dependencies-from-app',
    enforce: 'pre',
    resolveId(source, importer, options) {
      if (!importer?.startsWith(scriptsLib) || source.startsWith('.') || source.startsWith('/') || source.startsWith('\0')) return null;
      return this.resolve(source, appEntry, { ...options, skipSelf: true });
    },
  };
}

export default defineConfig({
  plugins: [scriptsLibDependenciesFromApp(), react()],
  // Relative asset URLs: the same build works from any path a server puts it under.
  base: './',
  // seal.mjs waits for its WebAssembly at the top level of the module.
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  server: { host: '127.0.0.1', fs: { allow: ['..'] } },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
