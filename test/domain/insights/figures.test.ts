import { computeInsights, defaultPeriod, previousPeriod } from '../../../src/domain/insights/figures';
import { causesInArticleOrder } from '../../../src/domain/insights/article-order';
import { causeAnswered, causeShown, engaged, escalated, abandoned, followUpMoved, recognised, startSession, unrecognised, type SessionRecord } from '../../../src/domain/insights/session';
import type { WalkStepId } from '../../../src/domain/flow/walk';

const at = (day: number, minute = 0) => new Date(Date.UTC(2026, 11, day, 9, minute));
let next = 0;
// Every milestone carries the session's own day: left to the default clock, an
// "idle since" depends on the hour the suite runs (it failed CI after 09:00 UTC).
function session(day: number, build: (s: SessionRecord, when: Date) => SessionRecord, options: { language?: 'en' | 'ja'; channel?: string } = {}): SessionRecord {
  next += 1;
  return build(startSession({ id: `s${next}`, via: 'text', language: options.language ?? 'en', channel: options.channel ?? 'webchat' }, at(day)), at(day, 1));
}
function walk(s: SessionRecord, answers: ('fixed' | 'still-failing')[], causes: readonly WalkStepId[], when: Date): SessionRecord {
  let current = engaged(recognised(s, 'agent-unreachable', 'message', when), 'windows', when);
  answers.forEach((answer, index) => {
    current = causeAnswered(causeShown(current, causes[index]!, when), causes[index]!, answer, when);
  });
  return current;
}

describe('resolutions and their follow-up', () => {
  it('When resolutions are confirmed, left unanswered or reopened, Then resolved counts the first two, confirmed the first, reopened apart', () => {
    const causes = causesInArticleOrder('no-network');
    const fixed = (day: number) => session(day, (s, when) => causeAnswered(causeShown(engaged(recognised(s, 'no-network', 'code', when), 'linux', when), causes[0]!, when), causes[0]!, 'fixed', when));
    const insights = computeInsights({
      period: { since: '2026-12-01', until: '2026-12-07' },
      sessions: [followUpMoved(fixed(2), 'confirmed', at(4)), followUpMoved(fixed(2), 'pending', at(4)), followUpMoved(fixed(3), 'declined', at(5)), followUpMoved(fixed(3), 'reopened', at(5))],
      previousSessions: [],
      texts: [],
      now: at(7),
      abandonAfterMinutes: 30,
      causesOf: causesInArticleOrder,
    });
    expect(insights).toMatchObject({ engaged: 4, resolved: 3, confirmed: 1, reopened: 1 });
    expect(insights.rates).toMatchObject({ resolution: 0.75, confirmedResolution: 0.25 });
    expect(insights.errors.find((error) => error.category === 'no-network')!.resolved).toBe(3);
  });
});

describe('how sessions began', () => {
  it('When sessions start from text, a screenshot and the list, Then byEntry counts each way in with its outcomes', () => {
    const causes = causesInArticleOrder('agent-unreachable');
    const start = (via: SessionRecord['via']) => startSession({ id: `e${(next += 1)}`, via, language: 'en', channel: 'msteams' }, at(3));
    const insights = computeInsights({
      period: { since: '2026-12-01', until: '2026-12-07' },
      sessions: [walk(start('image'), ['fixed'], causes, at(3, 1)), walk(start('image'), ['still-failing'], causes, at(3, 1)), walk(start('text'), ['fixed'], causes, at(3, 1)), unrecognised(start('browse'), at(3, 1))],
      previousSessions: [],
      texts: [],
      now: at(7),
      abandonAfterMinutes: 30,
      causesOf: causesInArticleOrder,
    });
    expect(insights.byEntry['image']).toEqual({ sessions: 2, engaged: 2, resolved: 1, escalated: 0, abandoned: 1 });
    expect(insights.byEntry['text']).toMatchObject({ sessions: 1, resolved: 1 });
    expect(insights.byEntry['browse']).toMatchObject({ sessions: 1, engaged: 0 });
  });
});

describe('the figures of a period', () => {
  const causes = causesInArticleOrder('agent-unreachable');
  const sessions = [
    session(3, (s, when) => walk(s, ['still-failing', 'fixed'], causes, when)),
    session(3, (s, when) => walk(s, ['fixed'], causes, when), { language: 'ja', channel: 'msteams' }),
    session(4, (s, when) => escalated(walk(s, ['still-failing'], causes, when), when)),
    session(4, (s, when) => abandoned(walk(s, ['still-failing', 'still-failing'], causes, when), when)),
    // Open and idle for days at "now": abandoned by the idle rule, stopped at its one cause shown.
    session(5, (s, when) => causeShown(engaged(recognised(s, 'agent-unreachable', 'description', when), 'linux', when), causes[0]!, when)),
    session(5, (s, when) => unrecognised(s, when)),
    session(6, (s, when) => escalated(unrecognised(s, when), when)),
  ];
  const insights = computeInsights({
    period: { since: '2026-12-01', until: '2026-12-07' },
    sessions,
    previousSessions: [session(28, (s, when) => walk(s, ['fixed'], causes, when))],
    texts: [
      { key: 'a', text: 'how do I restore a file', count: 3, lastSeen: at(5).toISOString() },
      { key: 'b', text: null, count: 9, lastSeen: at(5).toISOString() },
    ],
    now: at(7),
    abandonAfterMinutes: 30,
    causesOf: causesInArticleOrder,
  });

  it('When sessions of every kind are counted, Then the totals and rates follow the definitions', () => {
    expect(insights).toMatchObject({ sessions: 7, engaged: 5, resolved: 2, escalated: 2, abandoned: 2, unrecognised: 2 });
    // Rates over engaged: the escalation of a session that never engaged is not in its rate.
    expect(insights.rates).toEqual({ engagement: 0.7143, resolution: 0.4, confirmedResolution: 0, escalation: 0.2, abandon: 0.4 });
  });

  it('When an error has sessions, Then its causes count in the article\'s order: fixed by, funnel and drop-off', () => {
    const figures = insights.errors.find((error) => error.category === 'agent-unreachable')!;
    expect(Object.keys(figures.fixedBy)).toEqual([...causes]);
    expect(figures).toMatchObject({ sessions: 5, resolved: 2, escalated: 1, abandoned: 2 });
    expect(figures.fixedBy[causes[0]!]).toBe(1);
    expect(figures.fixedBy[causes[1]!]).toBe(1);
    expect(figures.funnel[causes[0]!]).toEqual({ shown: 5, fixed: 1, wentOn: 3 });
    expect(figures.funnel[causes[1]!]).toEqual({ shown: 2, fixed: 1, wentOn: 1 });
    expect(figures.dropOff[causes[0]!]).toBe(2);
    expect(figures.dropOff[causes[1]!]).toBe(1);
    expect(insights.errors.map((error) => error.category)).toHaveLength(5);
  });

  it('When the period is a week, Then every day is listed, and the previous week is counted for the change', () => {
    expect(insights.days.map((day) => day.date)).toEqual(['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06', '2026-12-07']);
    expect(insights.days[2]).toEqual({ date: '2026-12-03', sessions: 2, resolved: 2, escalated: 0, abandoned: 0 });
    expect(insights.previous).toMatchObject({ period: { since: '2026-11-24', until: '2026-11-30' }, sessions: 1, resolved: 1 });
  });

  it('When breakdowns and texts are listed, Then they count per OS, language and channel, and counted-only texts are left out', () => {
    expect(insights.byLanguage['ja']).toEqual({ sessions: 1, engaged: 1, resolved: 1, escalated: 0, abandoned: 0 });
    expect(insights.byChannel['msteams']?.sessions).toBe(1);
    expect(insights.byOs['linux']?.abandoned).toBe(1);
    expect(insights.unrecognisedTexts).toEqual([{ text: 'how do I restore a file', count: 3, lastSeen: at(5).toISOString() }]);
  });

  it('When no period is given, Then it is the 30 days ending today; the one before has the same length', () => {
    expect(defaultPeriod(new Date('2026-12-07T10:00:00Z'))).toEqual({ since: '2026-11-08', until: '2026-12-07' });
    expect(previousPeriod({ since: '2026-12-07', until: '2026-12-07' })).toEqual({ since: '2026-12-06', until: '2026-12-06' });
  });
});
