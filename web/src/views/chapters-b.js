// Chapters 5-8 and the wall of dials: [{n, id, title, what, load}] in order;
// load() imports the view's component, so a widget downloads only its own view.

export default [
  { n: 5, id: 'trace', title: 'Who made it too salty?', load: () => import('./trace/index.jsx').then((m) => m.Trace), defaultName: 'emma',
    what: 'Tracing the penalty back to each dial (backpropagation, the chain rule): every dial\'s impact number is its gradient.' },
  { n: 6, id: 'sensei', title: 'The master\'s training method', load: () => import('./sensei/index.jsx').then((m) => m.Sensei),
    alsoEmbed: { id: 'dials', label: 'the wall of dials alone' },
    what: 'Adam the sensei turns the dials: memory (momentum), a personal touch per dial (adaptive step) and a lighter hand over time (decay).' },
  { n: 7, id: 'service', title: 'Ming cooks solo', load: () => import('./service/index.jsx').then((m) => m.Service),
    what: 'Generation (sampling): Ming picks a course from his vote, feeds it back in, and goes on until he rings the bell.' },
  { n: 8, id: 'scale', title: 'From a street cart to three stars', load: () => import('./scale/index.jsx').then((m) => m.Scale),
    what: 'The same kitchen at another scale: Ming\'s figures, read from the live model, beside a large model\'s.' },
  { n: null, id: 'dials', title: 'The wall of dials', load: () => import('./dials/index.jsx').then((m) => m.Dials),
    what: 'All of Ming\'s dials (the parameters) on one wall, live.' },
];
