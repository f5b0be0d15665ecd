// Trainer.jsx - Train / Pause / Reset, the run's length and seed, the live
// loss curve with its counters, the risk dial and Ming's names; and the
// run's news for screen readers (start, every quarter, the end).
import { useEffect, useRef, useState } from 'preact/hooks';
import { useSignalEffect } from '@preact/signals';
import { useStore, STEP_CHOICES, PENALTY_DEFINITION, PENALTY_WINDOW } from '../../state/store.js';
import { UI_SEED_TEXT, parseUiSeed } from '../../limits.js';
import { LossChart } from './LossChart.jsx';
import { RiskDial } from '../shared/RiskDial.jsx';
import { Names, namesSummary } from './Names.jsx';
import { PaceControl } from './PaceControl.jsx';
import { Timeline, ViewBanner } from './Timeline.jsx';
import { Setup } from '../../features/setup/Setup.jsx';
import { Proof } from '../../features/proof/Proof.jsx';
import { RunSwitch, shownStore } from '../../features/compare/ShownRun.jsx';
import { WhenNear } from '../../features/OnDemand.jsx';
import { Keep } from '../../features/keep/Keep.jsx';

const fmt = (n) => n.toLocaleString('en-US');
// Compare (the main page's only: store.twoRuns) is below the fold: its own chunk, loaded as the reader comes to it
const loadCompare = () => import('../../features/compare/Compare.jsx').then((m) => m.Compare);

// What the Train button says in each run state (warming: Ming cooks a post's
// run for a widget; Train makes it the reader's run).
const TRAIN_LABEL = { idle: 'Train', warming: 'Train', training: 'Pause', paused: 'Resume', done: 'Train again', stopped: 'Train again' };
export const trainLabel = (st) => TRAIN_LABEL[st] ?? 'Train';
// The run's length and seed are fixed while a run is under way (the kitchen
// refuses a new plan then: reset first).
const LOCKED = new Set(['warming', 'training', 'paused']);

export function Controls({ actions }) {
  const store = useStore();
  const st = store.state.value, ready = store.phase.value === 'ready';
  const [seedText, setSeedText] = useState(String(store.seed.value));
  const [seedError, setSeedError] = useState(null);
  const seed = store.seed.value;
  // another page of the same kitchen may start a run with another seed
  useEffect(() => { if (!seedError && Number(seedText) !== seed) setSeedText(String(seed)); }, [seed]);
  const locked = LOCKED.has(st);
  const onSeed = (e) => {
    const v = e.currentTarget.value.trim();
    setSeedText(v);
    if (actions.setSeed(parseUiSeed(v))) setSeedError(null);
    else setSeedError(`The seed is ${UI_SEED_TEXT}.`);
  };
  const label = trainLabel(st);
  return (
    <div class="controls" role="group" aria-label="Training controls" data-state={st}>
      <button
        type="button"
        class="primary"
        disabled={!ready}
        onClick={() => (st === 'training' ? actions.pause() : actions.train())}
        data-action="train"
      >{label}</button>
      <button type="button" disabled={!ready || st === 'idle'} onClick={() => actions.reset()} data-action="reset">Reset</button>
      <label class="field">
        <span>Dishes (steps)</span>
        <select
          value={store.numSteps.value}
          disabled={!ready || locked}
          onChange={(e) => actions.setSteps(Number(e.currentTarget.value))}
          title={locked ? 'Reset to change the length of the run' : undefined}
        >
          {STEP_CHOICES.map((n) => <option value={n}>{fmt(n)}</option>)}
        </select>
      </label>
      <label class="field">
        <span>Seed</span>
        <input
          type="text"
          inputMode="numeric"
          size="6"
          value={seedText}
          disabled={!ready || locked}
          aria-invalid={seedError ? 'true' : 'false'}
          aria-describedby="seed-help"
          onInput={onSeed}
          onChange={() => store.state.value === 'idle' && !seedError && actions.reset()}
        />
      </label>
      <span id="seed-help" class={seedError ? 'note error' : 'visually-hidden'} role={seedError ? 'alert' : undefined}>
        {seedError ?? 'The seed picks the shuffle of the records and Ming\u2019s first random dials.'}
      </span>
    </div>
  );
}

const penaltyText = (v) => (Number.isFinite(v) ? v.toFixed(3) : '–');

export function Counters() {
  const store = useStore();
  return (
    <dl class="counters">
      <div><dt>dish (training step)</dt><dd data-counter="step">{fmt(store.step.value)} / {fmt(store.numSteps.value)}</dd></div>
      <div><dt title={`the penalty: ${PENALTY_DEFINITION}`}>penalty (loss, last {PENALTY_WINDOW})</dt><dd data-counter="loss">{penaltyText(store.penalty.value)}</dd></div>
      <div><dt>time</dt><dd data-counter="time">{(store.elapsedMs.value / 1000).toFixed(2)} s</dd></div>
      <div><dt>dishes per second</dt><dd data-counter="rate">{store.stepsPerSec.value ? fmt(Math.round(store.stepsPerSec.value)) : '–'}</dd></div>
    </dl>
  );
}

/** The sticky bar: the run's state, Train, and the way back to the trainer. */
export function TrainStrip({ actions }) {
  const store = useStore();
  const st = store.state.value, phase = store.phase.value, ready = phase === 'ready';
  return (
    <div class="train-strip" role="region" aria-label="The run">
      <button type="button" class="primary" disabled={!ready} data-action="strip-train"
        onClick={() => (st === 'training' ? actions.pause() : actions.train())}>
        {st === 'idle' ? <>Train<span class="wide-only"> Ming</span></> : trainLabel(st)}
      </button>
      <span class="status" aria-live="polite" data-phase={phase}>{phase === 'loading' ? 'Opening the kitchen…' : ''}</span>
      {phase !== 'loading' && <>
        {/* the bar's figures are run A's: said so while the views show run B */}
        {shownStore(store) !== store && <span class="strip-figure" data-strip="run">run A:</span>}
        <span class="strip-figure">dish <b data-strip="step">{fmt(store.step.value)}</b><span class="wide-only"> / {fmt(store.numSteps.value)}</span></span>
        <span class="strip-figure">penalty <b data-strip="loss">{penaltyText(store.penalty.value)}</b></span>
      </>}
      <RunSwitch where="bar" />
      <a href="#trainer" class="strip-link">{TRAINER_TITLE}</a>
      <ViewBanner actions={actions} />
    </div>
  );
}

// One name for the section: its heading, the contents' entry, the bar's link.
export const TRAINER_TITLE = 'The trainer';

const quarterText = (store, step, n) =>
  `Dish ${fmt(step)} of ${fmt(n)}: penalty ${penaltyText(store.series.at(step))}.`;

/**
 * What a screen reader hears of the run (a polite region): its start, each
 * quarter, its end with the final penalty. A quarter passed between two
 * progress events is still told, with the penalty at its own dish.
 */
export function RunNews() {
  const store = useStore();
  const [news, setNews] = useState([]);
  const r = useRef({ state: store.state.value, told: 0 }).current;
  useSignalEffect(() => {
    const st = store.state.value, step = store.step.value, n = store.numSteps.value;
    const add = [];
    const was = r.state;
    r.state = st;
    if (st === 'training' && was !== 'training' && was !== 'paused') {
      r.told = Math.floor((4 * step) / n);
      setNews([`Ming starts training: ${fmt(n)} dishes, one record each.`]);
    }
    if (st === 'training' || st === 'done') {
      for (let q = r.told + 1; q <= 3 && (q * n) / 4 <= step; q++) { add.push(quarterText(store, (q * n) / 4, n)); r.told = q; }
    }
    if (st === 'done' && was !== 'done') {
      add.push(`Training done: ${fmt(step)} dishes, final penalty ${penaltyText(store.series.at(step))} (${PENALTY_DEFINITION}).`);
      r.told = 4;
    }
    if (st === 'idle' && was !== 'idle') { r.told = 0; setNews([]); }
    if (add.length) setNews((old) => [...old, ...add]);
  });
  return (
    <div class="visually-hidden" aria-live="polite" data-run-news>
      {news.map((t) => <p>{t}</p>)}
    </div>
  );
}

export function Trainer({ actions, setup = false }) {
  const store = useStore();
  const dials = store.info.value?.numParams;
  // the names' summary, told once the risk dial comes to rest with its names in
  const [summary, setSummary] = useState('');
  const wait = useRef({ names: false, pending: false }).current;
  useSignalEffect(() => {
    store.names.value;
    wait.names = false;
    if (wait.pending) { wait.pending = false; setSummary(namesSummary(store) ?? ''); }
  });
  const onRest = () => {
    if (wait.names) wait.pending = true;
    else setSummary(namesSummary(store) ?? '');
  };
  return (
    <section class="trainer view" id="trainer" aria-labelledby="trainer-title">
      <div class="trainer-head">
        <h2 id="trainer-title">{TRAINER_TITLE}</h2>
        <p class="lede">
          Press <strong>Train</strong>. Each dish (a training step): Ming cooks one record, the diner scores it, and he turns
          his <strong data-dials>{dials ? fmt(dials) : '…'}</strong> dials (the parameters) a little. Watch the penalty fall.
        </p>
      </div>
      <Controls actions={actions} />
      <div class="trainer-grid">
        <div class="trainer-run">
          <LossChart />
          <Timeline actions={actions} />
          <Counters />
          <Proof indexUrl={actions?.urls?.references} />
        </div>
        <div class="trainer-taste">
          <RiskDial
            id="temperature"
            label="The risk dial (temperature)"
            value={store.temperature.value}
            disabled={store.phase.value !== 'ready'}
            outputAttrs={{ 'data-temperature': '' }}
            onInput={(t) => { wait.names = true; setSummary(''); actions.setTemperature(t); }}
            onRest={onRest}
            help={<>Low: Ming plays it safe and repeats his favourite courses. High: he takes risks, and some names make no sense.
              The dial divides the final vote's scores (logits) before they become percentages.</>}
          />
          <Names actions={actions} summary={summary} />
        </div>
        {/* under the curve on a wide screen; under the names on a phone, so Train and the curve open the page */}
        <PaceControl actions={actions} />
      </div>
      {/* under the grid: the names stay right under the curve on a phone */}
      {store.twoRuns && <WhenNear load={loadCompare} box="compare" actions={actions} />}
      {setup && <Setup actions={actions} />}
      {store.link && <Keep actions={actions} />}
      <RunNews />
    </section>
  );
}
