// registry.js - every view by id, for the main page and embed.html: the
// widget manifest's entries (embed/widgets.js: number, title, what, ...)
// each with load(), which resolves to its component (a separate chunk per
// view, so a widget downloads only its own).
import { WIDGETS, WIDGET_IDS } from '../embed/widgets.js';

const LOADERS = {
  records: () => import('./records/index.jsx').then((m) => m.Records),
  courses: () => import('./courses/index.jsx').then((m) => m.Courses),
  line: () => import('./line/index.jsx').then((m) => m.Line),
  scorecard: () => import('./scorecard/index.jsx').then((m) => m.Scorecard),
  trace: () => import('./trace/index.jsx').then((m) => m.Trace),
  sensei: () => import('./sensei/index.jsx').then((m) => m.Sensei),
  service: () => import('./service/index.jsx').then((m) => m.Service),
  scale: () => import('./scale/index.jsx').then((m) => m.Scale),
  dials: () => import('./dials/index.jsx').then((m) => m.Dials),
  trainer: () => import('./trainer/Trainer.jsx').then((m) => m.Trainer),
};

export const views = Object.fromEntries(WIDGET_IDS.map((id) => [id, { id, ...WIDGETS[id], load: LOADERS[id] }]));
/** The views of the walk through the kitchen, then the others, in the manifest's order: [{n, id, title, what, load, ...}]. */
export const chapters = Object.values(views).filter((v) => !v.bare);
