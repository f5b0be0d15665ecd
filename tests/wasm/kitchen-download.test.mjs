// Downloads of the engine and the records (web/src/kitchen/loading.js),
// from a small local server: a file that never arrives times out with a
// message naming it; a bad file that arrived whole is never used twice, and
// init {reload: true} downloads it again past the HTTP cache.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { root, wasmUrl, wasmFile } from '../helpers/paths.mjs';
import { names } from '../helpers/engine.mjs';

const { createClient } = await import(pathToFileURL(path.join(root, 'web/src/client.js')));
const workerUrl = pathToFileURL(path.join(root, 'web/src/kitchen/worker.js'));
const wasm = String(wasmUrl);

// /hang/*: headers never sent; /records/names.txt: what `records` holds now
// (binary at first: the wasm file), each request logged with its headers
const hanging = new Set();
const requests = [];
let records = readFileSync(wasmFile);
const server = http.createServer((req, res) => {
  requests.push({ url: req.url, cacheControl: req.headers['cache-control'] ?? null });
  if (req.url.startsWith('/hang/')) { hanging.add(res); return; }
  if (req.url === '/records/names.txt') { res.writeHead(200, { 'Content-Type': 'text/plain' }).end(records); return; }
  res.writeHead(404).end('not found');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const workers = [];
after(() => {
  for (const w of workers) w.terminate();
  for (const res of hanging) res.destroy();
  server.close();
});

function open(workerData) {
  const worker = new Worker(workerUrl, { workerData });
  workers.push(worker);
  return createClient(worker);
}
// a safety net only: a download that does not time out fails the test, not the suite
const within = (p, ms, what) => Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms: ${what}`)), ms))]);
const until = async (cond, what, ms = 20000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

test('a download that never arrives times out, naming the file and what to do', async () => {
  const c = open();
  const t0 = Date.now();
  await assert.rejects(within(c.request('init', { wasm, dataUrl: `${base}/hang/names.txt`, timeoutMs: 300 }), 10000, 'the records'), (e) => {
    assert.equal(e.code, 'kitchen/timeout');
    assert.equal(e.message, 'the records (names.txt) did not arrive within 0.3 s: check the connection and press Retry');
    return true;
  });
  assert.ok(Date.now() - t0 >= 300);
  // (a new kitchen: this one loaded its engine already)
  await assert.rejects(within(open().request('init', { wasm: `${base}/hang/microgpt.wasm`, text: names, timeoutMs: 300 }), 10000, 'the engine'),
    (e) => e.code === 'kitchen/timeout' && /^the engine \(microgpt\.wasm\) did not arrive within 0\.3 s/.test(e.message));
  await assert.rejects(c.request('init', { wasm, dataUrl: `${base}/missing/names.txt` }),
    (e) => e.code === 'kitchen/download' && /the records \(names\.txt\) could not be loaded .*HTTP 404/.test(e.message));
  // the time limit has bounds
  await assert.rejects(c.request('init', { wasm, text: names, timeoutMs: 1 }), (e) => e.code === 'kitchen/bad-request' && /timeoutMs/.test(e.message));
  // and the kitchen still opens
  assert.equal((await c.request('init', { wasm, text: names, seed: 42 })).step, 0);
});

test('a bad prefetched names.txt is used once; init with reload downloads it again, past the cache', async () => {
  records = readFileSync(wasmFile); // binary, served with status 200
  const dataUrl = `${base}/records/names.txt`;
  const asked = () => requests.filter((r) => r.url === '/records/names.txt');
  const before = asked().length;
  const c = open({ prefetch: { wasm, dataUrl } });
  await until(() => asked().length === before + 1, 'the worker prefetches the records as it starts');
  // the first init takes the prefetch: no request of its own, and the engine says what is wrong
  await assert.rejects(c.request('init', { wasm, dataUrl }), (e) => e.status === 'DATA' && /NUL byte/.test(e.message));
  assert.equal(asked().length, before + 1);
  // a Retry (reload) downloads again: one new request, asking caches to revalidate
  await assert.rejects(c.request('init', { wasm, dataUrl, reload: true }), (e) => e.status === 'DATA');
  assert.equal(asked().length, before + 2);
  assert.equal(asked().at(-1).cacheControl, 'no-cache');
  // the file is mended on the server: the next Retry gets it
  records = Buffer.from(names);
  const info = await c.request('init', { wasm, dataUrl, reload: true, seed: 42 });
  assert.equal(asked().length, before + 3);
  assert.equal(info.numDocs > 30000, true);
  assert.equal(await c.request('records'), names);
});

test('an init that failed drops the prefetch: the next init downloads again, even without reload', async () => {
  records = Buffer.from(names);
  const dataUrl = `${base}/records/names.txt`;
  const asked = () => requests.filter((r) => r.url === '/records/names.txt');
  const before = asked().length;
  const c = open({ prefetch: { wasm, dataUrl } });
  await until(() => asked().length === before + 1, 'the worker prefetches the records as it starts');
  // this init fails for another reason (a bad config) after taking the prefetch
  await assert.rejects(c.request('init', { wasm, dataUrl, config: { nEmbd: 16, nHead: 3 } }), (e) => e.status === 'CONFIG');
  const info = await c.request('init', { wasm, dataUrl, seed: 42 });
  assert.equal(asked().length, before + 2, 'downloaded anew');
  assert.ok(info.numDocs > 30000);
});
