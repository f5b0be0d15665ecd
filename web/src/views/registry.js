// registry.js - every view by id, for the main page and embed.html.
import chaptersA from './chapters-a.js';
import chaptersB from './chapters-b.js';
import { Trainer } from './trainer/Trainer.jsx';

export const chapters = [...chaptersA, ...chaptersB];
export const views = Object.fromEntries([
  ...chapters.map((c) => [c.id, c]),
  ['trainer', { id: 'trainer', n: null, title: 'Train Ming', what: 'Train, the loss curve, the risk dial and the names.', Component: Trainer, bare: true }],
]);
