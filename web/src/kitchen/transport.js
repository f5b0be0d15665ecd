// transport.js - the ports a kitchen talks through, shared by worker.js
// (a dedicated worker: its own port, plus sibling frames handed over in
// {type: '__connect'} messages) and shared-worker.js (a port per page).
// Events go to every port, a reply to the port that asked; '__connect' and
// '__disconnect' are the transport's own and never reach the kitchen.

/**
 * Serves makeKitchen(post)'s kitchen on ports added with add(port).
 * A port is a browser MessagePort or worker scope (onmessage, e.ports) or a
 * Node one (on('message'), a port sent as data.port). The main port (the
 * worker's own) is never closed by '__disconnect': closing it ends the worker.
 */
export function servePorts(makeKitchen) {
  const ports = new Set();
  // events are copied to each port (a transfer would leave the others a detached buffer)
  const kitchen = makeKitchen((msg) => { for (const p of ports) p.postMessage(msg); });

  function add(port, { main = false } = {}) {
    ports.add(port);
    const receive = (data, given) => {
      if (data?.type === '__connect') { if (given?.[0]) add(given[0]); return; }
      if (data?.type === '__disconnect') { if (!main) { ports.delete(port); port.close(); } return; }
      kitchen.handle(data, (msg) => port.postMessage(msg));
    };
    if (typeof port.on === 'function') port.on('message', (data) => receive(data, data?.port ? [data.port] : []));
    else { port.onmessage = (e) => receive(e.data, e.ports); port.start?.(); }
  }
  return { kitchen, add };
}
