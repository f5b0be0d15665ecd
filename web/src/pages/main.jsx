// main.jsx - the main page: the trainer first (Train, the loss curve, the
// risk dial, the names), then the eight chapters, each a view of the same run.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { StoreContext } from '../state/store.js';
import { createKitchenApp } from '../state/actions.js';
import { kitchenUrls } from '../kitchen/urls.js';
import { ErrorBanner } from '../views/ErrorBanner.jsx';
import { Warming } from '../views/shared/Warming.jsx';
import { Trainer, TrainStrip, TRAINER_TITLE } from '../views/trainer/Trainer.jsx';
import { Chapter } from '../views/shared/Chapter.jsx';
import { EmbedCode } from '../views/shared/EmbedCode.jsx';
import { LazyView } from '../views/shared/LazyView.jsx';
import { useBarHeight, keepAnchor } from './anchors.js';
import { chapters as allChapters } from '../views/registry.js';
import { createLink } from '../features/link/link.js';
import { LinkNotes } from '../features/link/LinkNotes.jsx';
import { ShownRun } from '../features/compare/ShownRun.jsx';

const chapters = allChapters.filter((c) => c.n);

const urls = kitchenUrls(import.meta.url);

// A chapter and its Embed code, which starts the widget where the reader left
// the view: the name typed in it, the temperature of its own risk dial.
function ChapterWithEmbed({ c, actions, link }) {
  const [name, setName] = useState(link.names[c.id] ?? c.defaultName);
  const [temperature, setTemperature] = useState(undefined);
  const onName = (n) => { setName(n); link.setName(c.id, n); };
  return (
    <Chapter n={c.n} id={c.id} title={c.title} what={c.what}>
      {/* the run the views show (A or B, features/compare): a new view for each, with the name typed */}
      <ShownRun><LazyView entry={c} actions={actions} initialName={name} onName={onName} onTemperature={setTemperature} /></ShownRun>
      <EmbedCode id={c.id} name={name} temperature={temperature} also={c.alsoEmbed} />
    </Chapter>
  );
}

function App({ store, actions }) {
  useBarHeight('.train-strip');
  useEffect(keepAnchor, []);
  return (
    <StoreContext.Provider value={store}>
      <TrainStrip actions={actions} />
      <header class="intro">
        <p class="kicker">Ming's Kitchen</p>
        <h1>Watch a tiny GPT learn to name babies</h1>
      </header>
      <ErrorBanner actions={actions} />
      <LinkNotes link={store.link} />
      <Warming />
      <main>
        <Trainer actions={actions} setup />
        <div class="view trainer-embed"><EmbedCode id="trainer" /></div>
        <section class="story" aria-labelledby="story-title">
          <h2 id="story-title">The kitchen, chapter by chapter</h2>
          <p>
            Ming is an apprentice chef with a wall of judgment dials: the parameters of microgpt, a real GPT with one
            transformer layer. He studies the master's records (Andrej Karpathy's list of about 32,000 baby names, the one his microgpt.py
            learns from) one course (letter) at a time, and
            after every dish he turns his dials to be a little less surprised by the next course.
            It all runs here, in your browser; each chapter is a live view of the same run as the trainer above.
          </p>
          {chapters.length > 0 && (
            <nav class="toc" aria-label="Contents">
              <ol>
                <li><a href="#trainer">{TRAINER_TITLE}</a></li>
                {chapters.map((c) => <li><a href={`#chapter-${c.n}`}>{c.title}</a></li>)}
              </ol>
            </nav>
          )}
        </section>
        {chapters.map((c) => <ChapterWithEmbed c={c} actions={actions} link={store.link} />)}
      </main>
      <footer class="footer">
        <p>microgpt in C, compiled to WebAssembly, reproduces Karpathy's microgpt.py run number for number, and the trainer checks it
          in your browser, penalty by penalty. MIT licensed.</p>
      </footer>
    </StoreContext.Provider>
  );
}

const { store, actions } = createKitchenApp(urls);
store.twoRuns = true; // Compare and Grow Ming (features/compare/): on the page; widgets keep their heights
// for the tests' and the bench's diagnostics, as in a widget (widget.jsx)
globalThis.mingsKitchenRequest = (type, fields) => store.request(type, fields); // a new run is followed (store.js)
// the page's state in its URL (features/link): read before the kitchen opens
// (?pace= among it), then the link's run cooked to its dish
store.link = createLink(store, actions, { views: chapters.map((c) => c.id) });
store.link.read().then(() => {
  const opening = actions.open(); // the kitchen's worker starts while the page renders (phase 'loading' till it answers)
  render(<App store={store} actions={actions} />, document.getElementById('app'));
  return opening;
}).then(() => store.link.rebuild());
