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

/**
 * The file a request path names inside rootDir, or the status that refuses
 * it: 400 for a path that does not decode or holds a NUL, 403 for one that
 * resolves outside the folder (an encoded "..%2f" survives URL parsing).
 */
export function resolveRequest(rootDir, pathname) {
  let rel;
  try { rel = decodeURIComponent(pathname); } catch { return { status: 400, message: 'bad percent-encoding in the path' }; }
  if (rel.includes('\0')) return { status: 400, message: 'NUL in the path' };
  const file = path.resolve(rootDir, `.${path.sep}${rel}`);
  // a sibling such as dist-secret shares the prefix "dist": compare whole segments
  if (file !== rootDir && !file.startsWith(rootDir + path.sep)) return { status: 403, message: 'forbidden' };
  return { file };
}

export function createServer(dir) {
  const rootDir = path.resolve(dir);
  const refuse = (res, status, message) => res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(message);
  return http.createServer(async (req, res) => {
    let url;
    try { url = new URL(req.url, 'http://localhost'); } catch { refuse(res, 400, 'bad request'); return; }
    const found = resolveRequest(rootDir, url.pathname);
    if (!found.file) { refuse(res, found.status, found.message); return; }
    let { file } = found;
    try {
      if ((await stat(file).catch(() => null))?.isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      const ext = path.extname(file);
      res.writeHead(200, { 'Content-Type': TYPES[ext] ?? 'application/octet-stream', 'Cache-Control': 'no-cache',
        ...(ext === '.html' || ext === '.js' ? { 'Content-Security-Policy': CSP } : {}) });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      refuse(res, 404, 'not found');
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
  const port = Number(arg('--port', process.env.PORT || 8000));
  const dir = arg('--dir', path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist'));
  createServer(dir).listen(port, () => console.log(`Ming's Kitchen: http://localhost:${port}/`));
}
