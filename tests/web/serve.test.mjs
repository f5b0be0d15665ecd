// web/serve.mjs serves its folder and nothing beside it: a sibling folder
// whose name starts like the served one's (dist, dist-secret) holds a secret
// that no spelling of ".." may reach.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from '../helpers/paths.mjs';

const { createServer } = await import(pathToFileURL(path.join(root, 'web/serve.mjs')));

const SECRET = 'the secret recipe';
const tmp = mkdtempSync(path.join(tmpdir(), 'mg-serve-'));
const site = path.join(tmp, 'dist');
let server, port;

before(async () => {
  mkdirSync(path.join(site, 'sub'), { recursive: true });
  writeFileSync(path.join(site, 'index.html'), '<p>home</p>');
  writeFileSync(path.join(site, 'names.txt'), 'emma\n');
  writeFileSync(path.join(site, 'sub', 'a.txt'), 'in a subfolder');
  mkdirSync(path.join(tmp, 'dist-secret'));
  writeFileSync(path.join(tmp, 'dist-secret', 'secret.txt'), SECRET);
  writeFileSync(path.join(tmp, 'secret.txt'), SECRET);
  server = createServer(site);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = server.address().port;
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(tmp, { recursive: true, force: true });
});

/** GET with the path sent as written (no client-side normalization). */
function get(rawPath) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body, type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('files inside the folder are served', async () => {
  assert.deepEqual(await get('/names.txt'), { status: 200, body: 'emma\n', type: 'text/plain; charset=utf-8' });
  assert.equal((await get('/')).body, '<p>home</p>');
  assert.equal((await get('/sub/a.txt')).body, 'in a subfolder');
  assert.equal((await get('/sub/..%2fnames.txt')).body, 'emma\n', 'an encoded .. that stays inside is harmless');
  assert.equal((await get('/nope.txt')).status, 404);
});

test('no spelling of a path outside the folder reaches the sibling folder or the parent', async () => {
  const spellings = [
    '/..%2fdist-secret%2fsecret.txt',
    '/..%2Fdist-secret%2Fsecret.txt',
    '/%2e%2e%2fdist-secret%2fsecret.txt',
    '/%2E%2E%2Fdist-secret%2Fsecret.txt',
    '/.%2e/dist-secret/secret.txt',
    '/%2e%2e/dist-secret/secret.txt',
    '/../dist-secret/secret.txt',
    '/..%2fsecret.txt',
    '/sub/..%2f..%2fsecret.txt',
    '/sub%2f..%2f..%2fdist-secret%2fsecret.txt',
    '/..%5cdist-secret%5csecret.txt',
    '/..\\dist-secret\\secret.txt',
    '/%252e%252e%252fdist-secret%252fsecret.txt',
    '/..%252fdist-secret%252fsecret.txt',
    `/..%2f..%2f${path.basename(tmp)}%2fdist-secret%2fsecret.txt`,
    `/${encodeURIComponent(path.join(tmp, 'dist-secret', 'secret.txt'))}`,
    '//..%2fdist-secret%2fsecret.txt',
    '/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
  ];
  for (const p of spellings) {
    const { status, body } = await get(p);
    assert.ok([400, 403, 404].includes(status), `${p}: status ${status}`);
    assert.ok(!body.includes(SECRET) && !body.includes('root:'), `${p}: served a file outside the folder`);
  }
  assert.equal((await get('/..%2fdist-secret%2fsecret.txt')).status, 403, 'outside the folder: forbidden');
});

test('a NUL or a bad percent-encoding in the path is a bad request', async () => {
  for (const p of ['/names.txt%00.html', '/%00', '/%ff', '/%E0%A4%A', '/names%2.txt', '/%']) {
    const { status, body } = await get(p);
    assert.equal(status, 400, `${p}: status ${status} (${body})`);
  }
  assert.equal((await get('/names.txt')).status, 200, 'the server still answers');
});
