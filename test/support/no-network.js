// Preloaded with `node --require` (NODE_OPTIONS reaches worker threads too): any attempt to open a
// socket or resolve a name is refused and written to stderr as "NETWORK ATTEMPT …", so a test can
// prove that a command works offline. Local IPC (a path, not a host) is left alone.
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');

function refuse(what) {
  // Straight to fd 2: in a worker thread process.stderr goes through the main thread, and a process that exits
  // right after (tesseract.js's error handler does) would lose the line.
  fs.writeSync(2, `NETWORK ATTEMPT ${what}\n`);
  const error = new Error(`network blocked by test/support/no-network.js: ${what}`);
  error.code = 'ENETUNREACH';
  return error;
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // Node's own callers pass [options, callback] as one normalised array.
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] };
  if (typeof options.path === 'string') return connect.apply(this, args);
  const error = refuse(`connect ${options.host ?? 'localhost'}:${options.port}`);
  process.nextTick(() => this.destroy(error));
  return this;
};
dns.lookup = (hostname, ...rest) => {
  const callback = rest[rest.length - 1];
  process.nextTick(() => callback(refuse(`lookup ${hostname}`)));
};
dns.promises.lookup = async (hostname) => {
  throw refuse(`lookup ${hostname}`);
};
if (typeof globalThis.fetch === 'function') {
  globalThis.fetch = async (input) => {
    throw refuse(`fetch ${typeof input === 'string' ? input : input?.url ?? String(input)}`);
  };
}
