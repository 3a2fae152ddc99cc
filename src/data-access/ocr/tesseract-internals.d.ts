// The parts of tesseract.js's worker side that the OCR worker script (tesseract-worker.ts) builds on.
// tesseract.js types only its public API; these are its Node worker's own modules.
declare module 'tesseract.js/src/worker-script' {
  /** What the worker needs from its host: how to load the engine, unzip data, and do I/O. */
  export interface WorkerAdapter {
    getCore: (...args: unknown[]) => Promise<unknown>;
    gunzip: (data: Uint8Array) => Uint8Array;
    fetch: (url: string) => Promise<never>;
    readCache: (path: string) => Promise<Uint8Array>;
    writeCache: (path: string, data: Uint8Array) => Promise<void>;
    deleteCache: (path: string) => Promise<void>;
    checkCache: (path: string) => Promise<boolean>;
  }
  export function dispatchHandlers(packet: unknown, send: (message: unknown) => void): void;
  export function setAdapter(adapter: WorkerAdapter): void;
}
declare module 'tesseract.js/src/worker-script/node/getCore' {
  const getCore: (...args: unknown[]) => Promise<unknown>;
  export default getCore;
}
declare module 'tesseract.js/src/worker-script/node/gunzip' {
  const gunzip: (data: Uint8Array) => Uint8Array;
  export default gunzip;
}
