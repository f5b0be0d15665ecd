// errors.js - the kitchen's own failures. Engine errors (EngineError) keep
// their mg_status code; a failure the kitchen itself finds (a request it
// cannot read, a download that failed or timed out, a run in the wrong state)
// carries one of these codes, so a page can tell them apart without parsing
// messages. See PROTOCOL.md, "Errors".

export const KitchenCode = Object.freeze({
  UNKNOWN_REQUEST: 'kitchen/unknown-request', // no handler of that type
  BAD_REQUEST: 'kitchen/bad-request',         // a missing type or a field out of its bounds
  NOT_OPEN: 'kitchen/not-open',               // asked before init opened the kitchen
  STOPPED: 'kitchen/stopped',                 // start/resume after stop (reset first)
  WRONG_STATE: 'kitchen/wrong-state',         // e.g. a new plan for a run under way
  DOWNLOAD: 'kitchen/download',               // the engine or the records could not be fetched
  TIMEOUT: 'kitchen/timeout',                 // ... or did not arrive in time
});

export class KitchenError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'KitchenError';
    this.code = code;
  }
}

export const fail = (code, message) => { throw new KitchenError(code, message); };
export const badRequest = (message) => fail(KitchenCode.BAD_REQUEST, message);

/** The error part of a reply: {message, code, status}; status is the
 * mg_status name for engine errors, null for the kitchen's own. */
export function errorReply(err) {
  if (err instanceof KitchenError) return { message: err.message, code: err.code, status: null };
  return { message: err?.message ?? String(err), code: err?.code ?? null, status: err?.status ?? null };
}

/** A whole number from lo to hi, or a bad-request failure naming the field. */
export function wholeNumber(name, value, lo, hi) {
  if (!Number.isInteger(value) || value < lo || value > hi)
    badRequest(`${name} must be a whole number from ${lo} to ${hi} (got ${describeValue(value)})`);
  return value;
}

// at most 40 characters of a bad value in a message
export function describeValue(v) {
  let s;
  try { s = typeof v === 'string' ? `'${v}'` : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v); }
  catch { s = typeof v; }
  s = s ?? typeof v;
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
