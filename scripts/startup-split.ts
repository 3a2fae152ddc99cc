/**
 * Run by `npm run bench` in a fresh process: where the classify command's start-up
 * goes, in process (loading the matcher's modules, building it from the prepared
 * form, the first answer with cold code and regular expressions), and the CPU the
 * process used in all, which the machine's load disturbs less than wall time.
 * Prints one JSON object.
 */
import type * as LoadSignatures from '../src/domain/matching/load-signatures';

const started = process.hrtime.bigint();
const since = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- timing the load itself needs a require at this point
const { defaultMatcher } = require('../src/domain/matching/load-signatures') as typeof LoadSignatures;
const loadMs = since(started);
let from = process.hrtime.bigint();
const matcher = defaultMatcher();
const buildMs = since(from);
from = process.hrtime.bigint();
matcher.classify(process.argv[2] ?? '');
const firstClassifyMs = since(from);
const { user, system } = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ loadMs, buildMs, firstClassifyMs, cpuMs: (user + system) / 1000 })}\n`);
