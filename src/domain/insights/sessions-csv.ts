/**
 * Sessions as CSV, one row a session, for a spreadsheet (the dashboard's export and
 * `insights --csv`): ids, times, language, channel, error, how it was found, guest
 * OS, the outcome as counted now, the causes shown and the one that fixed it.
 * Never a text: the columns hold ids and categories only.
 */
import { outcomeAt, type SessionRecord } from './session';

const COLUMNS = ['sessionId', 'startedAt', 'lastAt', 'language', 'channel', 'via', 'category', 'how', 'os', 'engaged', 'unrecognised', 'outcome', 'causesShown', 'fixedBy'] as const;

/** RFC 4180: quote when needed; a leading = + - @ is prefixed so that no spreadsheet runs it as a formula. */
function cell(value: string | number | boolean | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function sessionsCsv(sessions: readonly SessionRecord[], now: Date, abandonAfterMinutes: number): string {
  const rows = sessions.map((session) => {
    const fixed = session.causes.find((step) => step.answer === 'fixed');
    return [
      session.id,
      session.startedAt,
      session.lastAt,
      session.language,
      session.channel,
      session.via,
      session.category,
      session.how,
      session.os,
      session.engaged,
      session.unrecognised && !session.engaged,
      outcomeAt(session, now, abandonAfterMinutes * 60_000) ?? 'open',
      session.causes.map((step) => step.causeId).join(' '),
      fixed?.causeId,
    ]
      .map(cell)
      .join(',');
  });
  return `${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
