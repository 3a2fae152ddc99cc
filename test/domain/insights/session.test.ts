import { abandoned, causeAnswered, causeShown, engaged, escalated, outcomeAt, recognised, startSession, unrecognised } from '../../../src/domain/insights/session';

const t = (minute: number) => new Date(Date.UTC(2026, 11, 7, 9, minute));
const start = () => startSession({ id: 's1', via: 'text', language: 'ja', channel: 'webchat' }, t(0));

describe('a session moving through its milestones', () => {
  it('When an error is recognised, the walk starts and a cause fixes it, Then it is engaged and resolved with the cause marked', () => {
    let session = recognised(start(), 'no-network', 'code', t(1));
    session = engaged(session, 'linux', t(2));
    session = causeShown(session, 'no-internet', t(2));
    session = causeAnswered(session, 'no-internet', 'still-failing', t(3));
    session = causeShown(session, 'snapshot-status', t(3));
    session = causeAnswered(session, 'snapshot-status', 'fixed', t(4));
    expect(session).toMatchObject({ category: 'no-network', how: 'code', os: 'linux', engaged: true, outcome: 'resolved', lastAt: t(4).toISOString() });
    expect(session.causes).toEqual([
      { causeId: 'no-internet', answer: 'still-failing' },
      { causeId: 'snapshot-status', answer: 'fixed' },
    ]);
  });

  it('When the same cause card is shown again (a reprompt), Then it is counted once', () => {
    const session = causeShown(causeShown(engaged(start(), 'windows'), 'no-internet'), 'no-internet');
    expect(session.causes).toEqual([{ causeId: 'no-internet' }]);
  });

  it('When the bot answered none before any walk, Then it is unrecognised; once a walk starts, it no longer is', () => {
    const none = unrecognised(start());
    expect(none.unrecognised).toBe(true);
    expect(engaged(recognised(none, 'internal-error', 'chosen'), 'unknown').unrecognised).toBe(false);
    expect(unrecognised(engaged(start(), 'linux')).unrecognised).toBe(false);
  });

  it('When a session already has an outcome, Then a later escalation or abandonment does not replace it', () => {
    const resolved = causeAnswered(causeShown(engaged(start(), 'linux'), 'no-internet'), 'no-internet', 'fixed');
    expect(escalated(resolved).outcome).toBe('resolved');
    expect(abandoned(resolved).outcome).toBe('resolved');
  });

  it('When a session that never engaged is left, Then it is not abandoned (only engaged sessions can be)', () => {
    expect(abandoned(start()).outcome).toBeUndefined();
    expect(escalated(start()).outcome).toBe('escalated');
  });

  it('When an engaged session is idle past the abandon time, Then it counts as abandoned; before, it is open', () => {
    const open = causeShown(engaged(start(), 'linux', t(0)), 'no-internet', t(5));
    expect(outcomeAt(open, t(34), 30 * 60_000)).toBeUndefined();
    expect(outcomeAt(open, t(35), 30 * 60_000)).toBe('abandoned');
    expect(outcomeAt(start(), t(59), 30 * 60_000)).toBeUndefined();
  });
});
