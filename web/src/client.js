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
    terminate() {
      if (typeof worker.terminate === 'function') worker.terminate();
      else { try { worker.postMessage({ type: '__disconnect' }); } catch { /* closed */ } worker.close?.(); }
      onDeath('terminated', true);
    },
    /** Declares the kitchen gone (e.g. its frame was removed): pending requests fail. */
    lost(reason) { onDeath(reason, true); },
  };
}
