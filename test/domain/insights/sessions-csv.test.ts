import { sessionsCsv } from '../../../src/domain/insights/sessions-csv';
import { causeAnswered, causeShown, engaged, recognised, startSession } from '../../../src/domain/insights/session';

describe('sessions as CSV', () => {
  it('When sessions are exported, Then each is one row with the outcome as counted now and the cause that fixed it', () => {
    const at = new Date('2026-12-07T09:00:00Z');
    const fixed = causeAnswered(causeShown(engaged(recognised(startSession({ id: 'a1', via: 'text', language: 'en', channel: 'webchat' }, at), 'no-network', 'code', at), 'linux', at), 'no-internet', at), 'no-internet', 'fixed', at);
    const open = startSession({ id: '=cmd', via: 'browse', language: 'ja', channel: 'msteams' }, at);
    const csv = sessionsCsv([fixed, open], new Date('2026-12-07T10:00:00Z'), 30);
    const [header, first, second] = csv.trimEnd().split('\r\n');
    expect(header).toBe('sessionId,startedAt,lastAt,language,channel,via,category,how,os,engaged,unrecognised,outcome,causesShown,fixedBy');
    expect(first).toBe('a1,2026-12-07T09:00:00.000Z,2026-12-07T09:00:00.000Z,en,webchat,text,no-network,code,linux,true,false,resolved,no-internet,no-internet');
    // A value that a spreadsheet would run as a formula is defused.
    expect(second!.startsWith("'=cmd,")).toBe(true);
    expect(second).toContain(',open,');
  });
});
