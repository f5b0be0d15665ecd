// The one widget manifest (web/src/embed/widgets.js): the view registry, the
// embed options and the host script (web/public/embed.js) read their ids,
// titles and option names from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { root } from '../helpers/paths.mjs';

const src = (f) => import(pathToFileURL(path.join(root, 'web/src', f)));
const { WIDGETS, WIDGET_IDS, OPTION_NAMES } = await src('embed/widgets.js');
const { parseOptions, defaultStart, widgetTitle } = await src('embed/options.js');
const { views, chapters } = await src('views/registry.js');

test('the registry has a view for each widget of the manifest, with its loader', () => {
  assert.deepEqual(Object.keys(views), WIDGET_IDS);
  for (const id of WIDGET_IDS) {
    assert.equal(typeof views[id].load, 'function', id);
    assert.equal(views[id].title, WIDGETS[id].title);
  }
  // the walk: chapters 1 to 8 in order, then the views that are not chapters
  const numbered = chapters.filter((c) => c.n).map((c) => c.n);
  assert.deepEqual(numbered, numbered.map((_, i) => i + 1));
  assert.ok(chapters.every((c) => !c.bare));
  for (const c of chapters) if (c.alsoEmbed) assert.ok(WIDGET_IDS.includes(c.alsoEmbed.id), `${c.id}: also ${c.alsoEmbed.id}`);
});

test('the options take each widget id and start each as the manifest says', () => {
  for (const id of WIDGET_IDS) {
    assert.equal(parseOptions(`?w=${id}`).id, id);
    assert.equal(defaultStart(id), WIDGETS[id].fresh ? 'fresh' : 'trained');
    assert.equal(widgetTitle(id), `Ming's Kitchen: ${WIDGETS[id].embedTitle}`);
  }
});

test('each option name the manifest lists is one the options read (a bad value gets its note)', () => {
  for (const key of OPTION_NAMES) {
    const o = parseOptions(`?w=line&${key}=`);
    assert.ok(o.notes.some((n) => n.startsWith(`${key}=`)), `${key}: ${JSON.stringify(o.notes)}`);
  }
});

test('embed.js passes on exactly the manifest\'s option names', () => {
  const script = readFileSync(path.join(root, 'web/public/embed.js'), 'utf8');
  const m = script.match(/var OPTIONS = (\{[^}]*\});/);
  assert.ok(m, 'embed.js has its OPTIONS table');
  const options = Function(`return ${m[1]}`)();
  assert.deepEqual(Object.keys(options), OPTION_NAMES);
  assert.deepEqual(Object.values(options), OPTION_NAMES);
});
