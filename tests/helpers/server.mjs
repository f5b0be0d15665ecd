// server.mjs - serves the built site (web/dist) on a free port for a test.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { dist, root } from './paths.mjs';

const { createServer } = await import(pathToFileURL(path.join(root, 'web/serve.mjs')));

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

/** The site on http://127.0.0.1:PORT/ ({url, origin, close}). */
export async function serveSite() {
  if (!existsSync(path.join(dist, 'index.html'))) throw new Error('web/dist is missing: run make site');
  const server = createServer(dist);
  const port = await listen(server);
  const origin = `http://127.0.0.1:${port}`;
  return { url: `${origin}/`, origin, close: () => new Promise((r) => server.close(r)) };
}

/** The fixture blog post (/ ) and a page with all ten widgets (/all.html), on
 * another origin (localhost vs 127.0.0.1, another port); /one.html, a post
 * with one widget; and /floor.html, the bench's trivial page with a worker. */
export async function serveBlog(widgetOrigin) {
  const dir = path.join(root, 'tests/fixtures');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const asset = { '/blog.css': 'text/css', '/floor-worker.js': 'text/javascript' }[url.pathname];
    if (asset) {
      res.writeHead(200, { 'Content-Type': asset }).end(readFileSync(path.join(dir, url.pathname.slice(1))));
      return;
    }
    const page = { '/': 'blog-post.html', '/index.html': 'blog-post.html', '/all.html': 'all-widgets.html',
      '/floor.html': 'floor.html', '/one.html': 'one-widget.html' }[url.pathname];
    if (page) {
      const html = readFileSync(path.join(dir, page), 'utf8').replaceAll('{{WIDGET_ORIGIN}}', widgetOrigin);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    res.writeHead(404).end('not found');
  });
  const port = await listen(server);
  const origin = `http://localhost:${port}`;
  return { url: `${origin}/`, origin, close: () => new Promise((r) => server.close(r)) };
}
