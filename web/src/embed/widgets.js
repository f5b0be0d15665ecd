// widgets.js - the one widget manifest: every view a page or a writer can
// show, in the page's order, and all that is said about it. The view
// registry (views/registry.js: the chapters and their components), the
// embed options (embed/options.js: ids, iframe titles, plain heights, which
// start fresh), the Embed snippets and README's widget table
// (tests/web/readme-heights.test.mjs) all read it.
//
// Per id:
//   n           the chapter's number on the main page (null: not a chapter)
//   title       the chapter's heading; what: the line under it
//   embedTitle  the iframe's title attribute, "Ming's Kitchen: " + embedTitle
//   plain       the plain iframe's heights, [fromWidth, height] ascending: the
//               height for columns from fromWidth px wide (up to the next
//               entry's), measured so that every control shows unclipped there
//               and at most PLAIN_BLANK_MAX px is left blank at 700 px
//   defaultName the name the view shows first (none: its own example)
//   fresh       the widget starts untrained (watching Ming learn is the point)
//   alsoEmbed   a second Embed snippet offered under the chapter
//   bare        the widget shows the view without a chapter's heading
export const WIDGETS = {
  records: { n: 1, title: 'The ingredients', embedTitle: "chapter 1: the master's records",
    what: 'The master\'s records (the training set): one omakase set per line, a name each.',
    plain: [[320, 1830], [500, 1470], [700, 1160]] },
  courses: { n: 2, title: 'One course at a time', embedTitle: 'chapter 2: courses, ids, flavor cards', defaultName: 'emma',
    what: 'A set becomes courses (tokens) between two service bells (BOS); each course carries a flavor card (token embedding) and a sequence tag (position embedding).',
    plain: [[320, 1330], [500, 1260], [700, 790]] },
  line: { n: 3, title: 'The assembly line', embedTitle: 'chapter 3: the assembly line for a prefix', defaultName: 'emm',
    what: 'One pass of the model (the transformer layer) for a prefix: what does Ming bet comes next?',
    plain: [[320, 2960], [500, 2360], [700, 2170]] },
  scorecard: { n: 4, title: 'The diner\'s scorecard', embedTitle: "chapter 4: the diner's scorecard for a name", defaultName: 'emma',
    what: 'The penalty (cross-entropy loss): large when Ming gave the course that came a small chance.',
    plain: [[320, 1080], [500, 870]] },
  trace: { n: 5, title: 'Who made it too salty?', embedTitle: 'chapter 5: tracing and the nudge test', defaultName: 'emma',
    what: 'Tracing the penalty back to each dial (backpropagation, the chain rule): every dial\'s impact number is its gradient.',
    plain: [[320, 3980], [500, 3450], [700, 3170]] },
  sensei: { n: 6, title: 'The master\'s training method', embedTitle: 'chapter 6: training with Adam', fresh: true,
    alsoEmbed: { id: 'dials', label: 'the wall of dials alone' },
    what: 'Adam the sensei turns the dials: memory (momentum), a personal touch per dial (adaptive step) and a lighter hand over time (decay).',
    plain: [[320, 3380], [700, 3230]] },
  service: { n: 7, title: 'Ming cooks solo', embedTitle: 'chapter 7: Ming cooks solo',
    what: 'Generation (sampling): Ming picks a course from his vote, feeds it back in, and goes on until he rings the bell.',
    plain: [[320, 1940], [500, 1620], [700, 1350]] },
  scale: { n: 8, title: 'From a street cart to three stars', embedTitle: 'chapter 8: from a street cart to three stars',
    what: 'The same kitchen at another scale: Ming\'s figures, read from the live model, beside a large model\'s.',
    plain: [[320, 1210], [500, 950], [700, 830]] },
  dials: { n: null, title: 'The wall of dials', embedTitle: 'the wall of all dials', fresh: true,
    what: 'All of Ming\'s dials (the parameters) on one wall, live.',
    plain: [[320, 1220]] },
  trainer: { n: null, title: 'Train Ming', embedTitle: 'Train, loss curve, risk dial and names', fresh: true, bare: true,
    what: 'Train, the loss curve, the risk dial and the names.',
    plain: [[320, 2300], [500, 1710], [700, 1590]] },
};
export const WIDGET_IDS = Object.keys(WIDGETS);

// The query options of embed.html?w=ID (parsed in embed/options.js); the
// host script (web/public/embed.js) passes data-KEY on as KEY for each
// (tests/web/widgets.test.mjs checks its list).
export const OPTION_NAMES = ['name', 't', 'seed', 'steps', 'start', 'theme', 'pace', 'bg'];
