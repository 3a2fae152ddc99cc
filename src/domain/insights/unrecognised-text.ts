/**
 * What is kept of a text the bot did not recognise, to find what the guide
 * lacks: redacted with the handoff's redactor, cut to 500 characters, and
 * grouped with the same or near-same texts (case, spacing, digits, ids and
 * punctuation folded) under one key.
 */
import { createHash } from 'node:crypto';
import { redactText } from '../handoff/redact';
import type { TextSighting } from './insights-store';

export const KEPT_TEXT_CHARS = 500;

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The same text whatever its VM names, times and spacing: "backup of vm-01 failed at 10:02" ~ "Backup of VM-07 failed at 11:45". */
export function groupKey(text: string): string {
  const folded = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(GUID, '#')
    .replace(/\d+/g, '#')
    .replace(/[\s\p{P}\p{S}]+/gu, ' ')
    .trim();
  return createHash('sha256').update(folded).digest('hex').slice(0, 32);
}

export function sightingOf(text: string, keepText: boolean, now: Date = new Date()): TextSighting {
  const redacted = redactText(text.slice(0, 4 * KEPT_TEXT_CHARS)).text;
  const kept = redacted.length > KEPT_TEXT_CHARS ? `${redacted.slice(0, KEPT_TEXT_CHARS - 1)}…` : redacted;
  return { key: groupKey(redacted), text: keepText ? kept : null, at: now.toISOString() };
}
