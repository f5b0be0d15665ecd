// scale - chapter 8, from a street cart to three stars: Ming's figures,
// read from the live model and this run, beside a large model's.
// Hooks: [data-scale=dials|records|courses|time].
import { useStore } from '../../state/store.js';

const fmt = (n) => n.toLocaleString('en-US');

export function Scale() {
  const store = useStore();
  const info = store.info.value;
  if (!info) return <p class="caption">Opening the kitchen…</p>;
  const step = store.step.value, ms = store.elapsedMs.value;
  const per1000 = step > 0 ? `${((ms / step) * 1000 / 1000).toFixed(2)} s` : 'press Train';
  return (
    <div class="scale">
      <table class="scale-table">
        <thead><tr><th scope="col"></th><th scope="col">Ming (this page, live)</th><th scope="col">a large chat model (approximate)</th></tr></thead>
        <tbody>
          <tr><th scope="row">dials (parameters)</th><td data-scale="dials">{fmt(info.numParams)}</td><td>hundreds of billions</td></tr>
          <tr><th scope="row">records (training data)</th><td data-scale="records">{fmt(info.numDocs)} names</td><td>trillions of tokens</td></tr>
          <tr><th scope="row">courses (vocabulary)</th><td data-scale="courses">{info.vocab.length} (26 letters and the bell)</td><td>about 100,000 word pieces</td></tr>
          <tr><th scope="row">stations (layers × sous chefs)</th><td>{info.nLayer} × {info.nHead}, width {info.nEmbd}</td><td>dozens × dozens, width in the thousands</td></tr>
          <tr><th scope="row">time to train</th><td data-scale="time">{per1000} for 1,000 dishes on this device</td><td>thousands of GPUs for months</td></tr>
        </tbody>
      </table>
      <p class="caption">The large-model figures are orders of magnitude, not measurements. The Python original needs about a minute on a laptop for what this page does in a blink.</p>
      <p>Chat assistants then go to finishing school: supervised fine-tuning (training on conversations, a new menu) and learning from human preferences (critics choosing the better of two dishes). The loop never changes: <b>cook, score, trace, adjust</b>.</p>
    </div>
  );
}
