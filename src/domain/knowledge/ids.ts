/**
 * The ids of the five errors, their causes and the two languages, apart from the
 * schemas: code on the classify path needs the ids but not zod (~70 ms to load).
 */
export const ERROR_IDS = [
  'agent-unreachable',
  'no-network',
  'vmsnapshot-extension-failed',
  'agent-unresponsive',
  'internal-error',
] as const;
export const CAUSE_IDS = [
  'no-internet',
  'agent-unresponsive-windows',
  'agent-outdated-linux',
  'snapshot-status',
  'extension-update-load',
] as const;
export const LANGUAGES = ['ja', 'en'] as const;
