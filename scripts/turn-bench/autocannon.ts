/** A minimal typed wrapper around autocannon 9 (it ships no types): only what the turn benchmark uses. */
import { createRequire } from 'node:module';

export interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called for every request when present: returns the request to send. */
  setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
}

export interface AutocannonClient {
  setRequests(requests: AutocannonRequest[]): void;
}

export interface AutocannonOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  timeout?: number;
  requests: AutocannonRequest[];
  setupClient?: (client: AutocannonClient) => void;
  /** False counts the response in `mismatches`. */
  verifyBody?: (body: string) => boolean;
}

export interface AutocannonHistogram {
  average: number;
  p50: number;
  p99: number;
  max: number;
  total: number;
}

export interface AutocannonResult {
  /** Seconds. */
  duration: number;
  requests: AutocannonHistogram & { sent: number };
  latency: AutocannonHistogram;
  errors: number;
  timeouts: number;
  mismatches: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}

interface AutocannonInstance {
  on(event: 'response', listener: (client: AutocannonClient, statusCode: number, resBytes: number, responseTimeMs: number) => void): void;
}

type Autocannon = (options: AutocannonOptions, done: (error: Error | null, result: AutocannonResult) => void) => AutocannonInstance;

const autocannon = createRequire(__filename)('autocannon') as Autocannon;

export interface CannonRun {
  result: AutocannonResult;
  /** Every response time in ms, unrounded (autocannon's own histogram keeps whole milliseconds). */
  latencies: number[];
}

export function fire(options: AutocannonOptions): Promise<CannonRun> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve({ result, latencies })));
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => latencies.push(responseTimeMs));
  });
}

// ---------------------------------------------------------------------------
// What is sent: a paste that names the error and the guest OS.
