// Chapters 5-8 and the wall of dials: [{n, id, title, what, Component}] in order.
import { Trace } from './trace/index.jsx';
import { Sensei } from './sensei/index.jsx';
import { Service } from './service/index.jsx';
import { Scale } from './scale/index.jsx';
import { Dials } from './dials/index.jsx';

export default [
  { n: 5, id: 'trace', title: 'Who made it too salty?', Component: Trace, defaultName: 'emma',
    what: 'Tracing the penalty back to each dial (backpropagation, the chain rule): every dial\'s impact number is its gradient.' },
  { n: 6, id: 'sensei', title: 'The master\'s training method', Component: Sensei,
    what: 'Adam the sensei turns the dials: memory (momentum), a personal touch per dial (adaptive step) and a lighter hand over time (decay).' },
  { n: 7, id: 'service', title: 'Ming cooks solo', Component: Service,
    what: 'Generation (sampling): Ming picks a course from his vote, feeds it back in, and goes on until he rings the bell.' },
  { n: 8, id: 'scale', title: 'From a street cart to three stars', Component: Scale,
    what: 'The same kitchen at another scale: Ming\'s figures, read from the live model, beside a large model\'s.' },
  { n: null, id: 'dials', title: 'The wall of dials', Component: Dials,
    what: 'All of Ming\'s dials (the parameters) on one wall, live.' },
];
