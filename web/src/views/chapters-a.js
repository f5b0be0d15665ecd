// Chapters 1-4 of the walk through the kitchen: [{n, id, title, what, Component}] in order.
import { Records } from './records/index.jsx';
import { Courses } from './courses/index.jsx';
import { Line } from './line/index.jsx';
import { Scorecard } from './scorecard/index.jsx';

export default [
  { n: 1, id: 'records', title: 'The ingredients', Component: Records, defaultName: undefined,
    what: 'The master\'s records (the training set): about 32,000 omakase sets, one baby name each.' },
  { n: 2, id: 'courses', title: 'One course at a time', Component: Courses, defaultName: 'emma',
    what: 'A set becomes courses (tokens) between two service bells (BOS); each course carries a flavor card (token embedding) and a sequence tag (position embedding).' },
  { n: 3, id: 'line', title: 'The assembly line', Component: Line, defaultName: 'emm',
    what: 'One pass of the model (the transformer layer) for a prefix: what does Ming bet comes next?' },
  { n: 4, id: 'scorecard', title: 'The diner\'s scorecard', Component: Scorecard, defaultName: 'emma',
    what: 'The penalty (cross-entropy loss): large when Ming gave the course that came a small chance.' },
];
