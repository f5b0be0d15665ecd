// connect.js - one kitchen per reader: widgets of one origin on a page share
// one live model.
//   1. A SharedWorker, where the browser allows it (it refuses in
//      third-party frames when third-party cookies are blocked).
//   2. Otherwise sibling frames find each other with window.postMessage
//      (only to and from frames of our own origin). The frame holding a Web
//      Lock hosts a dedicated worker and hands each sibling a MessagePort to
//      it; when that frame goes, the lock passes to another, which takes
//      over. (Without Web Locks, the lowest-ranked frame that answers hosts;
//      so too when the lock is held but no sibling says it hosts: the lock
//      is per origin, and the holder is a widget in another tab.)
//   3. Otherwise, a widget that is the page itself has a kitchen of its own.
import { createClient, watchKitchen } from '../client.js';

const TAG = 'mings-kitchen/v1';
const FIND_MS = 60;       // how long to listen for siblings before electing
const LOCK = 'mings-kitchen-host';
const RETRY_MS = 200;     // asking again for the host (its page may be busy loading)
const HOST_WAIT_MS = 800; // how long a lower-ranked sibling may take to start hosting
const LOCK_ELSEWHERE_MS = 600; // lock held, no sibling hosts: the holder is in another tab
//                                 (two hosts elected meanwhile: one steps down, see listen)
// a SharedWorker that is refused says so at once (an error event); one that starts
// slowly on a busy device is still the kitchen: this only ends a hang
const SHARED_PING_MS = 5000;
const GUEST_FIRST_MS = 10000; // a host's worker may still be starting: the first answer may take this long

const sameOrigin = (e) => e.origin === location.origin;
const valid = (d) => d && typeof d === 'object' && d.tag === TAG && typeof d.type === 'string';

function siblings() {
  const out = [];
  try {
    const frames = window.parent.frames;
    for (let i = 0; i < frames.length; i++) if (frames[i] !== window) out.push(frames[i]);
  } catch { /* no parent */ }
  return out;
}
function myRank() {
  try {
    const frames = window.parent.frames;
    for (let i = 0; i < frames.length; i++) if (frames[i] === window) return i;
  } catch { /* alone */ }
  return 0;
}
const isFrameOfParent = (src) => siblings().includes(src);

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), ms))]);
}

// boot.js's early connection only started the kitchen: leave it once ours is up
function dropEarly() {
  const early = globalThis.mingsKitchenEarly;
  globalThis.mingsKitchenEarly = null;
  try { early?.port.postMessage({ type: '__disconnect' }); early?.port.close(); } catch { /* gone */ }
}

async function trySharedWorker(urls) {
  if (typeof SharedWorker !== 'function') return null;
  try { return await openSharedWorker(urls); } finally { dropEarly(); }
}

async function openSharedWorker(urls) {
  let sw;
  try { sw = new SharedWorker(urls.sharedWorker, { type: 'module', name: 'mings-kitchen' }); } catch { return null; }
  const failed = new Promise((_, rej) => sw.addEventListener('error', () => rej(new Error('refused'))));
  const client = createClient(sw.port);
  try {
    // any reply, even "not open yet", shows the kitchen is alive
    await withTimeout(Promise.race([client.request('status').catch(() => 'alive'), failed]), SHARED_PING_MS);
    const stop = watchKitchen(client, () => client.fail('it stopped answering'));
    return { client, mode: 'shared', close: () => { stop(); client.terminate(); } };
  } catch {
    try { sw.port.close(); } catch { /* gone */ }
    return null;
  }
}

/**
 * Connects this widget to the page's kitchen. urls: {worker, sharedWorker}.
 * onLost(): called when a kitchen hosted by another frame goes away (the
 * caller reconnects and replays the run).
 */
export async function connectKitchen(urls, { shared = true, onLost } = {}) {
  if (shared) {
    const viaShared = await trySharedWorker(urls);
    if (viaShared) return viaShared;
  }
  if (window.parent === window) return ownKitchen(urls, 'own');
  return frameKitchen(urls, onLost);
}

// A dedicated worker of this frame, watched: onSilent() when it stops answering
// (default: it is declared dead, and the page offers Retry).
function ownKitchen(urls, mode, onSilent) {
  const worker = new Worker(urls.worker, { type: 'module', name: urls.workerName });
  const client = createClient(worker);
  const stop = watchKitchen(client, () => (onSilent ? onSilent() : client.fail('it stopped answering')));
  return { client, worker, mode, close: () => { stop(); client.terminate(); } };
}

// The one listener per frame for the sibling protocol. seeking: this frame
// is looking for a kitchen now (so it may host); a frame with a kitchen, or
// one whose kitchen failed and that waits for the reader's Retry, is not.
const frame = { hosting: null, knownHost: null, waiting: new Set(), rank: myRank(), listening: false, seeking: false };

function post(target, msg, transfer) {
  try { target.postMessage({ tag: TAG, ...msg }, location.origin, transfer); } catch { /* frame gone */ }
}

function listen() {
  if (frame.listening) return;
  frame.listening = true;
  window.addEventListener('message', (e) => {
    if (!sameOrigin(e) || !valid(e.data) || !isFrameOfParent(e.source)) return;
    const d = e.data;
    if (d.type === 'find') post(e.source, { type: 'here', rank: frame.rank, hosting: !!frame.hosting, seeking: frame.seeking });
    if (d.type === 'host' || (d.type === 'here' && d.hosting)) {
      frame.knownHost = e.source;
      // two hosts on the page (elected at once, or one by the lock and one
      // by rank): the higher-ranked one steps down, told so if need be
      if (frame.hosting && Number(d.rank) < frame.rank) frame.demote?.();
      else if (frame.hosting && d.type === 'host' && Number(d.rank) > frame.rank) post(e.source, { type: 'host', rank: frame.rank });
    }
    if (d.type === 'bye' && frame.knownHost === e.source) frame.knownHost = null;
    else if (d.type === 'connect' && frame.hosting && e.ports[0]) frame.hosting.postMessage({ type: '__connect' }, [e.ports[0]]);
    for (const fn of frame.waiting) fn(d, e.source);
  });
  window.addEventListener('pagehide', () => {
    if (frame.hosting) for (const s of siblings()) post(s, { type: 'bye' });
  });
}
// Listen from the start, so no sibling's news is missed while we try a SharedWorker.
if (typeof window !== 'undefined' && window.parent !== window) listen();

function collect(ms, stopWhen) {
  return new Promise((resolve) => {
    const seen = [];
    const fn = (d, src) => {
      seen.push({ d, src });
      if (stopWhen(d)) finish();
    };
    const finish = () => { frame.waiting.delete(fn); clearTimeout(t); resolve(seen); };
    const t = setTimeout(finish, ms);
    frame.waiting.add(fn);
  });
}

// A guest of another frame's kitchen. That frame may go away without a word
// (a removed iframe cannot always say goodbye), so the guest also checks the
// kitchen answers (the heartbeat every page has, client.js), and reconnects
// when it does not.
function guestOf(hostWindow, onLost) {
  const ch = new MessageChannel();
  post(hostWindow, { type: 'connect' }, [ch.port2]);
  const client = createClient(ch.port1);
  let gone = false;
  const lose = (why) => {
    if (gone) return;
    gone = true;
    stop();
    frame.waiting.delete(watch);
    if (frame.knownHost === hostWindow) frame.knownHost = null;
    client.lost(why);
    onLost?.();
  };
  const watch = (d, src) => { if (src === hostWindow && d.type === 'bye') lose('the frame that hosted the kitchen was removed'); };
  frame.waiting.add(watch);
  const stop = watchKitchen(client, () => lose('the frame that hosted the kitchen stopped answering'), { firstWithin: GUEST_FIRST_MS });
  return { client, mode: 'guest', close: () => { gone = true; stop(); frame.waiting.delete(watch); client.terminate(); } };
}

// Takes the host lock if nobody holds it (a function that releases it; it is
// held while this frame lives, or until released), false if another frame
// holds it, null if locks are refused.
function tryLock() {
  return new Promise((resolve) => {
    navigator.locks.request(LOCK, { ifAvailable: true }, (lock) => {
      if (!lock) { resolve(false); return undefined; }
      return new Promise((release) => resolve(release));
    }).catch(() => resolve(null));
  });
}

// Hosts the kitchen for the siblings. It stops hosting (bye to the siblings,
// the lock given back, so they elect another host) when its worker stops
// answering (the page then offers Retry), when demoted (another frame hosts:
// onLost reconnects), or when closed.
function becomeHost(urls, onLost, release = null) {
  const unhost = () => {
    if (frame.hosting !== own.worker) return;
    frame.hosting = null;
    frame.demote = null;
    for (const s of siblings()) post(s, { type: 'bye' });
    release?.();
  };
  const own = ownKitchen(urls, 'host', () => { unhost(); own.client.fail('it stopped answering'); });
  frame.hosting = own.worker;
  frame.demote = () => {
    unhost();
    own.close();
    onLost?.();
  };
  for (const s of siblings()) post(s, { type: 'host', rank: frame.rank });
  return { ...own, close: () => { unhost(); own.close(); } };
}

async function frameKitchen(urls, onLost) {
  listen();
  frame.seeking = true;
  try { return await findKitchen(urls, onLost); } finally { frame.seeking = false; }
}

async function findKitchen(urls, onLost) {
  if (globalThis.navigator?.locks?.request) {
    const isHostNews = (d) => d.type === 'host' || (d.type === 'here' && d.hosting);
    const t0 = performance.now();
    while (performance.now() - t0 < LOCK_ELSEWHERE_MS) {
      if (frame.knownHost && siblings().includes(frame.knownHost)) return guestOf(frame.knownHost, onLost);
      const got = await tryLock();
      if (got === null) break; // Web Locks refused here (a third-party frame, say)
      if (got) return becomeHost(urls, onLost, got);
      for (const s of siblings()) post(s, { type: 'find' });
      await collect(RETRY_MS, isHostNews);
    }
    // still no host: the lock's holder is in another tab, so the frames of
    // this page elect one of their own
  }
  return electByRank(urls, onLost);
}

async function electByRank(urls, onLost) {
  const others = siblings();
  if (frame.knownHost && others.includes(frame.knownHost)) return guestOf(frame.knownHost, onLost);
  // the only frame on the page: host at once (a frame added later finds us)
  if (!others.length) return becomeHost(urls, onLost);
  const isHostNews = (d) => d.type === 'host' || (d.type === 'here' && d.hosting);
  for (const s of others) post(s, { type: 'find' });
  const replies = await collect(FIND_MS, isHostNews);
  if (frame.knownHost) return guestOf(frame.knownHost, onLost);
  // a lower-ranked sibling that seeks a kitchen too will host
  const lower = replies.filter((r) => r.d.type === 'here' && r.d.rank < frame.rank && r.d.seeking !== false);
  if (lower.length) {
    // a lower-ranked sibling will host: wait for its announcement
    await collect(HOST_WAIT_MS, isHostNews);
    if (frame.knownHost) return guestOf(frame.knownHost, onLost);
  }
  return becomeHost(urls, onLost);
}
