// Serves the built app (app/dist) on 127.0.0.1: its static files, a `config.json` naming the node
// and vault it should use, and the vault under `/vault/` on the same origin (the vault sends no
// CORS headers, and the app's signed requests carry custom headers a browser would preflight).
// Used by scripts/dev-node (through scripts/serve-app.mjs) and the app's browser tests.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';

/** Where `npm run build` in app/ puts the app. */
export const APP_DIST = resolve(new URL('../../app/dist', import.meta.url).pathname);

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Request headers the vault reads; nothing else (cookies, origin) is passed on. */
const VAULT_HEADERS = ['x-medchain-account', 'x-medchain-timestamp', 'x-medchain-signature', 'content-type', 'content-length'];

async function proxyToVault(request, response, vaultUrl, path) {
  const headers = Object.fromEntries(VAULT_HEADERS.filter((h) => request.headers[h]).map((h) => [h, request.headers[h]]));
  const hasBody = !['GET', 'HEAD', 'DELETE'].includes(request.method);
  const upstream = await fetch(`${vaultUrl}${path}`, {
    method: request.method,
    headers,
    body: hasBody ? Readable.toWeb(request) : undefined,
    duplex: hasBody ? 'half' : undefined,
  });
  response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' });
  if (upstream.body) Readable.fromWeb(upstream.body).pipe(response);
  else response.end();
}

async function serveFile(response, distDir, urlPath) {
  let path = normalize(join(distDir, decodeURIComponent(urlPath)));
  if (path !== distDir && !path.startsWith(distDir + sep)) {
    response.writeHead(403).end();
    return;
  }
  const info = await stat(path).catch(() => null);
  // Routes live in the hash; any other unknown path gets the app itself.
  if (!info || info.isDirectory()) path = join(distDir, 'index.html');
  const body = await readFile(path);
  const hashed = path.includes(`${sep}assets${sep}`);
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  response.end(body);
}

/**
 * Serves the app from `distDir` on `host`:`port` (0: a free port). `nodeUrl` is the node's
 * WebSocket RPC the app connects to; `vaultUrl` (optional) the vault, proxied under `/vault`.
 * Returns `{ url, close() }`.
 */
export async function serveApp({ nodeUrl, vaultUrl, distDir = APP_DIST, host = '127.0.0.1', port = 0 }) {
  const root = resolve(distDir);
  await stat(join(root, 'index.html')).catch(() => {
    throw new Error(`no built app in ${root}: run npm run build in app/ first`);
  });
  const config = JSON.stringify({ nodeUrl, vaultUrl: vaultUrl ? '/vault' : undefined });
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url, 'http://app');
    const handle = async () => {
      if (pathname === '/config.json') {
        response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(config);
      } else if (pathname.startsWith('/vault/') && vaultUrl) {
        await proxyToVault(request, response, vaultUrl.replace(/\/$/, ''), pathname.slice('/vault'.length));
      } else if (request.method === 'GET' || request.method === 'HEAD') {
        await serveFile(response, root, pathname);
      } else {
        response.writeHead(405).end();
      }
    };
    handle().catch((error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ reason: 'app-server', message: String(error?.message ?? error) }));
    });
  });
  await new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolveListen);
  });
  const { port: bound } = server.address();
  return {
    url: `http://${host}:${bound}/`,
    close: () => new Promise((resolveClose) => { server.closeAllConnections(); server.close(() => resolveClose()); }),
  };
}
