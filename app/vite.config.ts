// Vite builds the static app into dist/ (served by scripts/lib/app-server.mjs); Vitest runs the
// unit tests with the same resolution.
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The app imports the shared modules of scripts/lib/ (pack codes, sealing, the vault client).
// Their bare imports would resolve from the repository's own node_modules; resolving them from
// app/ instead keeps one copy of each in the bundle (and one WebAssembly crypto instance).
const sharedWithScripts = [
  '@polkadot/util', '@polkadot/util-crypto', '@polkadot/keyring', '@noble/ciphers', '@noble/hashes',
  '@hpke/core', '@hpke/dhkem-x25519', '@hpke/chacha20poly1305',
];

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs: the same build works from any path a server puts it under.
  base: './',
  resolve: { dedupe: sharedWithScripts },
  // seal.mjs waits for its WebAssembly at the top level of the module.
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, reportCompressedSize: true },
  server: { host: '127.0.0.1', fs: { allow: ['..'] } },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
