// Unit tests of scripts/lib/app-server.mjs on a temporary build: static files, the app for unknown
// paths (routes live in the hash), config.json, no way out of the build directory. Its vault proxy
// is exercised against the real vault by app/tests/browser/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { serveApp } from '../../scripts/lib/app-server.mjs';

let dist;
let app;

before(async () => {
  dist = mkdtempSync(join(tmpdir(), 'medchain-app-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Medchain</title>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'export {};');
  writeFileSync(join(dirOutside(), 'secret.txt'), 'not for the web');
  app = await serveApp({ distDir: dist, nodeUrl: 'ws://127.0.0.1:9944', vaultUrl: 'http://127.0.0.1:8700' });
});

after(async () => {
  await app?.close();
  rmSync(dist, { recursive: true, force: true });
  rmSync(dirOutside(), { recursive: true, force: true });
});

function dirOutside() {
  const dir = `${dist}-outside`;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A raw GET of `path` (not normalised by a URL parser, so `..` reaches the server as sent). */
function get(path) {
  return new Promise((resolveGet, reject) => {
    const { port } = new URL(app.url);
    request({ host: '127.0.0.1', port, path }, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolveGet({ status: response.statusCode, headers: response.headers, body }));
    }).on('error', reject).end();
  });
}

test('serves the app on 127.0.0.1, its assets cached for good, the page not', async () => {
  assert.match(app.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const page = await get('/');
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(page.headers['cache-control'], 'no-cache');
  const asset = await get('/assets/index-abc123.js');
  assert.equal(asset.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.match(asset.headers['cache-control'], /immutable/);
});

test('unknown paths get the app; config.json names the node and the proxied vault', async () => {
  assert.match((await get('/patient/anything')).body, /<title>Medchain/);
  const config = await get('/config.json');
  assert.deepEqual(JSON.parse(config.body), { nodeUrl: 'ws://127.0.0.1:9944', vaultUrl: '/vault' });
});

test('nothing outside the build directory is served', async () => {
  const escaped = await get(`/../${dirOutside().split('/').pop()}/secret.txt`);
  assert.doesNotMatch(escaped.body, /not for the web/);
  const encoded = await get(`/%2e%2e/${dirOutside().split('/').pop()}/secret.txt`);
  assert.doesNotMatch(encoded.body, /not for the web/);
  // Dot segments, encoded or not, are resolved inside the site: the answer is the app itself.
  assert.match(encoded.body, /<title>Medchain/);
});
