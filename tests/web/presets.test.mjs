// The record presets (data/presets, data/README.md): each file is what the
// manifest the page reads says it is, follows the rules the presets promise,
// and loads in the engine; web/dist/records holds them after `make site`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { root, dist } from '../helpers/paths.mjs';
import { engine } from '../helpers/engine.mjs';

const manifest = JSON.parse(readFileSync(path.join(root, 'data', 'presets', 'presets.json'), 'utf8'));
const readme = readFileSync(path.join(root, 'data', 'README.md'), 'utf8');
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

test('the manifest: unique ids and files, one default (Karpathy\'s), the SSA list as us-2018', () => {
  assert.equal(new Set(manifest.map((p) => p.id)).size, manifest.length);
  assert.equal(new Set(manifest.map((p) => p.file)).size, manifest.length);
  assert.deepEqual(manifest.filter((p) => p.default).map((p) => p.id), ['karpathy']);
  assert.equal(manifest.find((p) => p.id === 'us-2018').source, 'data/names.txt');
  assert.deepEqual(readFileSync(path.join(root, 'data', 'makemore_names.txt')),
    readFileSync(path.join(root, 'tests', 'fixtures', 'reference', 'makemore_names.txt')), 'byte-identical to Karpathy\'s file');
  for (const p of manifest) for (const k of ['id', 'label', 'file', 'source', 'package', 'licence', 'count', 'sha256', 'bytes'])
    assert.ok(p[k] != null, `${p.id} has no ${k}`);
});

for (const p of manifest) {
  test(`${p.id}: sha256, bytes, count as the manifest and data/README.md say; loads in the engine`, () => {
    const bytes = readFileSync(path.join(root, p.source));
    assert.equal(sha256(bytes), p.sha256);
    assert.equal(bytes.length, p.bytes);
    const text = bytes.toString('utf8');
    assert.equal(Buffer.from(text, 'utf8').compare(bytes), 0, 'valid UTF-8');
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    assert.equal(lines.length, p.count);
    assert.ok(lines.every((l) => l && l === l.trim()), 'no blank or untrimmed lines');
    if (p.source.startsWith('data/presets/')) assert.equal(new Set(lines).size, lines.length, 'no duplicates');
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${p.id}\` |`));
    assert.ok(row && row.includes(`\`${p.sha256}\``) && row.includes(p.count.toLocaleString('en-US')), `data/README.md's row for ${p.id}`);
    const s = engine.createSession({ text, seed: 1 });
    assert.equal(s.info().numDocs, p.count);
    assert.equal(s.vocabSize - 1, p.chars);
    s.destroy();
  });
}

test('make site copies each preset and the manifest to web/dist/records', { skip: !existsSync(path.join(dist, 'index.html')) && 'web/dist not built' }, () => {
  const shipped = JSON.parse(readFileSync(path.join(dist, 'records', 'presets.json'), 'utf8'));
  assert.deepEqual(shipped, manifest);
  for (const p of manifest) assert.equal(sha256(readFileSync(path.join(dist, 'records', p.file))), p.sha256, p.file);
  for (const id of ['karpathy-seed42', 'us-2018-seed42'])
    assert.deepEqual(readFileSync(path.join(dist, 'reference', `${id}.json`)), readFileSync(path.join(root, 'data', 'reference', `${id}.json`)));
});
