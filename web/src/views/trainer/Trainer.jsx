// Trainer.jsx - Train / Pause / Reset, the run's length and seed, the live
// loss curve with its counters, the risk dial and Ming's names.
import { useEffect, useState } from 'preact/hooks';
import { useStore, STEP_CHOICES } from '../../state/store.js';
import { LossChart } from './LossChart.jsx';
import { RiskDial } from './RiskDial.jsx';
import { Names } from './Names.jsx';
import { PaceControl } from './PaceControl.jsx';
import { Timeline, ViewBanner } from './Timeline.jsx';

const fmt = (n) => n.toLocaleString('en-US');

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
    const n = /^\d{1,10}$/.test(v) ? Number(v) : NaN;
    if (actions.setSeed(n)) setSeedError(null);
    else setSeedError('The seed is a whole number from 0 to 2147483648.');
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

export function Counters() {
  const store = useStore();
  const loss = store.smoothedLoss.value;
  return (
    <dl class="counters" aria-live="off">
      <div><dt>dish</dt><dd data-counter="step">{fmt(store.step.value)} / {fmt(store.numSteps.value)}</dd></div>
      <div><dt>penalty (smoothed loss)</dt><dd data-counter="loss">{Number.isFinite(loss) ? loss.toFixed(3) : '–'}</dd></div>
      <div><dt>time</dt><dd data-counter="time">{(store.elapsedMs.value / 1000).toFixed(2)} s</dd></div>
      <div><dt>dishes per second</dt><dd data-counter="rate">{store.stepsPerSec.value ? fmt(Math.round(store.stepsPerSec.value)) : '–'}</dd></div>
    </dl>
  );
}

/** A slim bar that stays at the top: the first thing a reader can do is press Train. */
export function TrainStrip({ actions }) {
  const store = useStore();
  const st = store.state.value, ready = store.phase.value === 'ready';
  const loss = store.smoothedLoss.value;
  return (
    <div class="train-strip" role="region" aria-label="Train Ming">
      <button type="button" class="primary" disabled={!ready} data-action="strip-train"
        onClick={() => (st === 'training' ? actions.pause() : actions.train())}>
        {st === 'idle' ? 'Train Ming' : trainLabel(st)}
      </button>
      <span>dish <b>{fmt(store.step.value)}</b> / {fmt(store.numSteps.value)}</span>
      <span>penalty <b>{Number.isFinite(loss) ? loss.toFixed(3) : '–'}</b></span>
      <a href="#trainer" class="strip-link">loss curve and names ↓</a>
      <ViewBanner actions={actions} />
    </div>
  );
}

export function Trainer({ actions }) {
  const store = useStore();
  const dials = store.info.value?.numParams;
  return (
    <section class="trainer view" id="trainer" aria-labelledby="trainer-title">
      <h2 id="trainer-title">Ming's first service</h2>
      <p class="lede">
        Press <strong>Train</strong>: Ming tastes one record per dish and turns his{' '}
        <strong data-dials>{dials ? fmt(dials) : '…'}</strong> dials (the parameters, read from the live model)
        a little after each. The penalty (the loss) starts near blind guessing and falls as he learns.
      </p>
      <Controls actions={actions} />
      <PaceControl actions={actions} />
      <div class="chart-box">
        <LossChart />
        <Counters />
      </div>
      <Timeline actions={actions} />
      <RiskDial actions={actions} />
      <Names actions={actions} />
    </section>
  );
}
