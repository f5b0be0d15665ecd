// serve.mjs - a small static server for web/dist (no dependencies).
// Usage: node web/serve.mjs [--port 8000] [--dir web/dist]
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.txt': 'text/plain; charset=utf-8',
  '.ico': 'image/x-icon', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
};

// The pages' policy (as in their <meta>), sent as a header too: a worker
// takes its policy from its own script's response, not from the page.
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
  + "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

export function createServer(dir) {
  const rootDir = path.resolve(dir);
  return http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      let file = path.normalize(path.join(rootDir, decodeURIComponent(url.pathname)));
      if (!file.startsWith(rootDir)) { res.writeHead(403).end('forbidden'); return; }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      const ext = path.extname(file);
      res.writeHead(200, { 'Content-Type': TYPES[ext] ?? 'application/octet-stream', 'Cache-Control': 'no-cache',
        ...(ext === '.html' || ext === '.js' ? { 'Content-Security-Policy': CSP } : {}) });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
  const port = Number(arg('--port', process.env.PORT || 8000));
  const dir = arg('--dir', path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist'));
  createServer(dir).listen(port, () => console.log(`Ming's Kitchen: http://localhost:${port}/`));
}
