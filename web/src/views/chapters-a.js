// Chapters 1-4 of the walk through the kitchen: [{n, id, title, what, load}] in order;
// load() imports the view's component, so a widget downloads only its own view.

export default [
  { n: 1, id: 'records', title: 'The ingredients', load: () => import('./records/index.jsx').then((m) => m.Records), defaultName: undefined,
    what: 'The master\'s records (the training set): one omakase set per line, a name each.' },
  { n: 2, id: 'courses', title: 'One course at a time', load: () => import('./courses/index.jsx').then((m) => m.Courses), defaultName: 'emma',
    what: 'A set becomes courses (tokens) between two service bells (BOS); each course carries a flavor card (token embedding) and a sequence tag (position embedding).' },
  { n: 3, id: 'line', title: 'The assembly line', load: () => import('./line/index.jsx').then((m) => m.Line), defaultName: 'emm',
    what: 'One pass of the model (the transformer layer) for a prefix: what does Ming bet comes next?' },
  { n: 4, id: 'scorecard', title: 'The diner\'s scorecard', load: () => import('./scorecard/index.jsx').then((m) => m.Scorecard), defaultName: 'emma',
    what: 'The penalty (cross-entropy loss): large when Ming gave the course that came a small chance.' },
];
