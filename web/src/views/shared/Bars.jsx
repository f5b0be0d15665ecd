// Bars.jsx - a vote as horizontal bars in percent, sorted, one per course.
import { courseLabel, courseText } from './Chapter.jsx';

export function VoteBars({ probs, vocab, highlight = -1, limit = Infinity, label }) {
  if (!probs) return null;
  const order = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a]).slice(0, limit);
  const top = probs[order[0]] || 1;
  return (
    <ol class="vote-bars" aria-label={label}>
      {order.map((i) => (
        <li class={i === highlight ? 'hl' : undefined} data-course={courseLabel(vocab, i)}>
          <span class="course">{courseText(vocab, i)}</span>
          <span class="bar"><span class="fill" ref={(el) => el && (el.style.width = `${(probs[i] / top) * 100}%`)} /></span>
          <span class="pct">{(probs[i] * 100).toFixed(1)}%</span>
        </li>
      ))}
    </ol>
  );
}
