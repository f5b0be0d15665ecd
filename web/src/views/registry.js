// registry.js - every view by id, for the main page and embed.html. Each
// entry's load() resolves to its component (a separate chunk per view).
import chaptersA from './chapters-a.js';
import chaptersB from './chapters-b.js';

export const chapters = [...chaptersA, ...chaptersB];
export const views = Object.fromEntries([
  ...chapters.map((c) => [c.id, c]),
  ['trainer', { id: 'trainer', n: null, title: 'Train Ming', what: 'Train, the loss curve, the risk dial and the names.', load: () => import('./trainer/Trainer.jsx').then((m) => m.Trainer), bare: true }],
]);
