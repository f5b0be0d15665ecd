// client.js - the page side of the kitchen protocol: one promise per
// request, listeners for progress and state events, and a clear failure
// when the worker dies. Works with a browser Worker or a Node Worker.

export class KitchenError extends Error {
  constructor(message, info = {}) {
    super(message);
    this.name = 'KitchenError';
    Object.assign(this, info);
  }
}

export function createClient(worker) {
  let nextId = 1;
  const pending = new Map();
  const listeners = new Map();
  let dead = null;
  let slow = 0; // long requests under way (slowly)

  const emit = (type, data) => { for (const fn of listeners.get(type) ?? []) fn(data); };

  function onMessage(msg) {
    if (msg && msg.id !== undefined && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) reject(new KitchenError(msg.error.message, msg.error));
      else resolve(msg.result);
    } else if (msg && typeof msg.type === 'string') {
      emit(msg.type, msg);
    }
  }

  function onDeath(reason, quiet = false) {
    if (dead) return;
    dead = new KitchenError(`the training worker stopped: ${reason}`, { crashed: !quiet });
    for (const { reject } of pending.values()) reject(dead);
    pending.clear();
    if (!quiet) emit('crash', dead);
  }

  if (typeof worker.on === 'function') { // Node worker_threads
    worker.on('message', onMessage);
    worker.on('error', (e) => onDeath(e.message));
    worker.on('exit', (code) => onDeath(`exit code ${code}`));
  } else {
    worker.addEventListener('message', (e) => onMessage(e.data));
    worker.start?.(); // a MessagePort (a kitchen in another frame's worker) must be started
    worker.addEventListener('error', (e) => { e.preventDefault?.(); onDeath(e.message || 'it failed to start or crashed'); });
    worker.addEventListener('messageerror', () => onDeath('a message could not be read'));
  }

  return {
    request(type, fields = {}, transfer = []) {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ ...fields, id, type }, transfer);
      });
    },
    on(type, fn) {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type).add(fn);
      return () => listeners.get(type).delete(fn);
    },
    get dead() { return dead; },
    /** Marks a request the kitchen answers in one long engine call (records
     * of many MiB to read): meanwhile watchKitchen allows SLOW_MISSES beats. */
    slowly(promise) {
      slow++;
      const done = () => { slow--; };
      promise.then(done, done);
      return promise;
    },
    get slow() { return slow > 0; },
    terminate() {
      if (typeof worker.terminate === 'function') worker.terminate();
      else { try { worker.postMessage({ type: '__disconnect' }); } catch { /* closed */ } worker.close?.(); }
      onDeath('terminated', true);
    },
    /** Declares the kitchen gone (e.g. its frame was removed): pending requests fail. */
    lost(reason) { onDeath(reason, true); },
    /** Declares the kitchen dead (it stopped answering): pending requests fail, and 'crash' is sent. */
    fail(reason) { onDeath(reason, false); },
  };
}

// A worker can stop without an error event (self.close(), a killed process),
// so pages ask the kitchen for its status every beat. The kitchen answers
// between training chunks (a few ms); one that compiles or loads may take
// longer, so the beat starts only after its first answer, and only several
// beats missed in a row count: a kitchen gone is noticed within
// HEARTBEAT_MS * (HEARTBEAT_MISSES + 1), i.e. 2 s.
export const HEARTBEAT_MS = 500;
export const HEARTBEAT_MISSES = 3;
// While a long request is under way: 16 MiB of records take the engine a
// few seconds to read on a slow device; a kitchen gone is noticed in 30 s.
export const SLOW_MISSES = 60;

/**
 * Watches that the kitchen behind client answers. onSilent() is called once
 * when a status request stays unanswered for `misses` beats, or when the
 * first answer has not come after firstWithin ms (default: wait for it as
 * long as it takes). Any reply counts, an error too ("not open yet").
 * Returns stop().
 */
export function watchKitchen(client, onSilent, { every = HEARTBEAT_MS, misses = HEARTBEAT_MISSES, firstWithin = Infinity } = {}) {
  let stopped = false, waiting = null, missed = 0, beat = 0, first = 0;
  const stop = () => { stopped = true; clearInterval(beat); clearTimeout(first); };
  const silent = () => { if (!stopped) { stop(); onSilent(); } };
  const ask = () => {
    const asked = waiting = client.request('status').then(() => true, () => !client.dead);
    asked.then((alive) => {
      if (waiting === asked) waiting = null;
      if (stopped) return;
      if (!alive) { stop(); return; } // declared dead already: its owner knows
      missed = 0;
      if (!beat) { clearTimeout(first); beat = setInterval(tick, every); }
    });
  };
  // one miss per beat that finds the last question unanswered; a page that
  // was busy for a while runs one late beat, not a burst of them
  const tick = () => {
    if (stopped) return;
    if (client.dead) { stop(); return; }
    if (!waiting) ask();
    else if (++missed >= (client.slow ? Math.max(misses, SLOW_MISSES) : misses)) silent();
  };
  ask();
  if (Number.isFinite(firstWithin)) first = setTimeout(silent, firstWithin);
  return stop;
}
