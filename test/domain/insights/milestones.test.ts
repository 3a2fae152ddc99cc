import { milestonesBetween } from '../../../src/domain/insights/milestones';
import { causeAnswered, causeShown, engaged, recognised, startSession, unrecognised } from '../../../src/domain/insights/session';

describe('milestone events from session changes', () => {
  const started = startSession({ id: 's1', via: 'text', language: 'ja', channel: 'msteams' });

  it('When a session starts and its error is recognised in one turn, Then both events come, with ids only', () => {
    const after = recognised(started, 'no-network', 'code');
    const events = milestonesBetween(undefined, after);
    expect(events.map((event) => event.name)).toEqual(['SessionStarted', 'ErrorRecognised']);
    expect(events[1]!.properties).toEqual({ sessionId: 's1', language: 'ja', channel: 'msteams', category: 'no-network', how: 'code' });
  });

  it('When a cause is answered and the next shown, Then CauseAnswered and CauseShown carry the cause and its position', () => {
    const before = causeShown(engaged(recognised(started, 'no-network', 'code'), 'linux'), 'no-internet');
    const after = causeShown(causeAnswered(before, 'no-internet', 'still-failing'), 'snapshot-status');
    expect(milestonesBetween(before, after).map((event) => [event.name, event.properties.causeId, event.properties.position, event.properties.answer])).toEqual([
      ['CauseAnswered', 'no-internet', '1', 'still-failing'],
      ['CauseShown', 'snapshot-status', '2', undefined],
    ]);
  });

  it('When a fix ends the session, Then SessionOutcome says resolved; an unrecognised text says unrecognised', () => {
    const before = causeShown(engaged(recognised(started, 'no-network', 'code'), 'linux'), 'no-internet');
    const after = causeAnswered(before, 'no-internet', 'fixed');
    expect(milestonesBetween(before, after).at(-1)).toMatchObject({ name: 'SessionOutcome', properties: { outcome: 'resolved', category: 'no-network' } });
    expect(milestonesBetween(started, unrecognised(started))).toEqual([expect.objectContaining({ name: 'SessionOutcome', properties: expect.objectContaining({ outcome: 'unrecognised' }) })]);
  });
});
