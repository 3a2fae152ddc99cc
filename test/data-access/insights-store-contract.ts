/**
 * What every InsightsStore (src/domain/insights/insights-store.ts) does, run on
 * each implementation: SQLite (sqlite-insights-store.test.ts) and Azure Table
 * storage on Azurite (test/e2e/azure-table-insights-store.test.ts). The SQLite
 * store came first and sets the semantics; the contract pins them down so the
 * figures are the same whichever store the configuration picks.
 *
 * Not a test file itself (no `.test.ts`): it only declares the tests for a store.
 */
import type { InsightsStore, TextCount, TextSighting } from '../../src/domain/insights/insights-store';
import type { SessionRecord } from '../../src/domain/insights/session';

export interface ContractStore {
  store: InsightsStore;
  /** Closes the store and removes whatever it wrote (file, tables). */
  cleanup(): Promise<void>;
}

const at = (iso: string): Date => new Date(iso);

/** A session with no optional field: just started from a text, nothing recognised yet. */
function bare(id: string, startedAt: string, lastAt: string = startedAt): SessionRecord {
  return { id, startedAt, lastAt, via: 'text', language: 'en', channel: 'msteams', engaged: false, unrecognised: false, causes: [] };
}

/** A session with every optional field set: a walk that ended. */
function complete(id: string, startedAt: string, lastAt: string = startedAt): SessionRecord {
  return {
    id,
    startedAt,
    lastAt,
    via: 'browse',
    language: 'ja',
    channel: 'webchat',
    category: 'agent-unreachable',
    how: 'chosen',
    os: 'windows',
    engaged: true,
    unrecognised: false,
    causes: [
      { causeId: 'agent-unresponsive-windows', answer: 'still-failing' },
      { causeId: 'no-internet', answer: 'fixed' },
    ],
    outcome: 'resolved',
  };
}

const sighting = (key: string, text: string | null, iso: string): TextSighting => ({ key, text, at: iso });

async function countAll(store: InsightsStore, sightings: readonly TextSighting[]): Promise<void> {
  // One after the other, in the order given: some tests are about that order.
  for (const each of sightings) await store.countText(each);
}

/** Texts in key order: the port does not promise an order for them. */
async function textsBetween(store: InsightsStore, since: string, until: string): Promise<TextCount[]> {
  return (await store.textsSeenBetween(at(since), at(until))).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const ids = (sessions: readonly SessionRecord[]): string[] => sessions.map((session) => session.id);

/** Minutes after a start, as an ISO string. */
const plusMinutes = (iso: string, minutes: number): string => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** 200 sessions over two days (160 on the first: more than one table transaction) with every mix of optional fields. */
function manySessions(): SessionRecord[] {
  return Array.from({ length: 200 }, (_, index): SessionRecord => {
    const startedAt = plusMinutes('2025-03-10T00:00:00.000Z', index * 9);
    const lastAt = plusMinutes(startedAt, index % 7);
    const id = `many-${String(index).padStart(3, '0')}`;
    switch (index % 4) {
      case 0:
        return { ...bare(id, startedAt, lastAt), unrecognised: index % 8 === 0 };
      case 1:
        return { ...complete(id, startedAt, lastAt), outcome: index % 3 === 0 ? 'escalated' : 'abandoned' };
      case 2:
        // Recognised, walk not started: category and how only, one cause shown and not answered.
        return { ...bare(id, startedAt, lastAt), category: 'internal-error', how: 'description', causes: [{ causeId: 'snapshot-status' }], language: 'ja' };
      default:
        return { ...bare(id, startedAt, lastAt), via: 'browse', category: 'no-network', how: 'code', os: 'linux', engaged: true, channel: 'directline', causes: [{ causeId: 'agent-outdated-linux', answer: 'still-failing' }] };
    }
  });
}

export function describeInsightsStoreContract(name: string, makeStore: () => Promise<ContractStore>): void {
  describe(`${name}: the insights store contract`, () => {
    let store: InsightsStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });

    afterEach(async () => {
      await cleanup();
    });

    it('When nothing was saved, Then both reads are empty', async () => {
      expect(await store.sessionsStartedBetween(at('2025-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'))).toEqual([]);
      expect(await store.textsSeenBetween(at('2025-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'))).toEqual([]);
    });

    describe('sessions by start', () => {
      // Ids run against the start order, so an order by id would show.
      const sessions = [
        bare('g-before-since', '2025-03-09T23:59:59.999Z'),
        bare('f-at-since', '2025-03-10T00:00:00.000Z'),
        complete('e-first-day', '2025-03-10T13:00:00.000Z', '2025-03-10T13:20:00.000Z'),
        bare('d-second-day', '2025-03-11T08:30:00.000Z'),
        complete('c-just-before-until', '2025-03-12T23:59:59.999Z', '2025-03-13T00:10:00.000Z'),
        bare('b-at-until', '2025-03-13T00:00:00.000Z'),
        bare('a-later', '2025-03-20T10:00:00.000Z'),
      ];

      it('When sessions started over several days are saved, Then a range returns those with since <= start < until, in start order', async () => {
        await store.saveSessions([...sessions].reverse());
        const found = await store.sessionsStartedBetween(at('2025-03-10T00:00:00.000Z'), at('2025-03-13T00:00:00.000Z'));
        expect(ids(found)).toEqual(['f-at-since', 'e-first-day', 'd-second-day', 'c-just-before-until']);
        expect(found).toStrictEqual(sessions.slice(1, 5));
      });

      it('When the range starts and ends inside days, Then only sessions started within it are returned, not whole days', async () => {
        await store.saveSessions(sessions);
        expect(ids(await store.sessionsStartedBetween(at('2025-03-10T12:00:00.000Z'), at('2025-03-11T08:30:00.000Z')))).toEqual(['e-first-day']);
        expect(ids(await store.sessionsStartedBetween(at('2025-03-10T13:00:00.000Z'), at('2025-03-11T08:30:00.001Z')))).toEqual(['e-first-day', 'd-second-day']);
        expect(ids(await store.sessionsStartedBetween(at('2025-03-13T00:00:00.000Z'), at('2025-03-14T00:00:00.000Z')))).toEqual(['b-at-until']);
      });

      it('When the range is empty or holds no start, Then no session is returned', async () => {
        await store.saveSessions(sessions);
        expect(await store.sessionsStartedBetween(at('2025-03-11T08:30:00.000Z'), at('2025-03-11T08:30:00.000Z'))).toEqual([]);
        expect(await store.sessionsStartedBetween(at('2025-03-14T00:00:00.000Z'), at('2025-03-20T00:00:00.000Z'))).toEqual([]);
        expect(await store.sessionsStartedBetween(at('2025-03-12T00:00:00.000Z'), at('2025-03-10T00:00:00.000Z'))).toEqual([]);
      });
    });

    describe('saving replaces', () => {
      it('When the same id is saved again, Then there is one session in its later state, and fields it no longer has are gone', async () => {
        const first = complete('s-1', '2025-03-10T09:00:00.000Z', '2025-03-10T09:05:00.000Z');
        const later: SessionRecord = { ...bare('s-1', '2025-03-10T09:00:00.000Z', '2025-03-10T09:30:00.000Z'), category: 'no-network', causes: [{ causeId: 'no-internet' }] };
        await store.saveSessions([first]);
        await store.saveSessions([later]);
        expect(await store.sessionsStartedBetween(at('2025-03-10T00:00:00.000Z'), at('2025-03-11T00:00:00.000Z'))).toStrictEqual([later]);
      });

      it('When one save holds the same id twice, Then the later of the two is kept', async () => {
        const started = bare('s-2', '2025-03-10T09:00:00.000Z');
        const ended: SessionRecord = { ...complete('s-2', '2025-03-10T09:00:00.000Z', '2025-03-10T09:45:00.000Z'), outcome: 'escalated' };
        await store.saveSessions([started, bare('other', '2025-03-10T10:00:00.000Z'), ended]);
        const found = await store.sessionsStartedBetween(at('2025-03-10T00:00:00.000Z'), at('2025-03-11T00:00:00.000Z'));
        expect(found).toStrictEqual([ended, bare('other', '2025-03-10T10:00:00.000Z')]);
      });

      it('When ids hold characters a key may forbid (/ \\ # ? % and spaces), Then they come back as saved', async () => {
        const awkward = [bare('a/b\\c#d?e%20f g', '2025-03-10T09:00:00.000Z'), bare('msteams:19:abc@thread.tacv2;messageid=1', '2025-03-10T09:01:00.000Z')];
        await store.saveSessions(awkward);
        expect(await store.sessionsStartedBetween(at('2025-03-10T00:00:00.000Z'), at('2025-03-11T00:00:00.000Z'))).toStrictEqual(awkward);
      });

      it('When 200 sessions are saved at once, Then they all come back intact, optional fields absent or present as saved', async () => {
        const sessions = manySessions();
        await store.saveSessions(sessions);
        const found = await store.sessionsStartedBetween(at('2025-03-10T00:00:00.000Z'), at('2025-03-12T00:00:00.000Z'));
        expect(found).toHaveLength(200);
        // toStrictEqual: an optional field read back as `undefined` would not equal one left out.
        expect(found).toStrictEqual(sessions);
        expect(Object.keys(found[0]!).sort()).toEqual(['causes', 'channel', 'engaged', 'id', 'language', 'lastAt', 'startedAt', 'unrecognised', 'via']);
      });
    });

    describe('unrecognised texts', () => {
      it("When texts are counted, Then each group's sightings are summed over the days of the range, apart from other groups", async () => {
        await countAll(store, [
          sighting('k1', 'disk is full', '2025-03-09T23:59:59.999Z'),
          sighting('k1', 'disk is full', '2025-03-10T08:00:00.000Z'),
          sighting('k1', 'disk is full', '2025-03-10T09:00:00.000Z'),
          sighting('k2', 'quota exceeded', '2025-03-10T12:00:00.000Z'),
          sighting('k1', 'disk is full', '2025-03-11T07:00:00.000Z'),
          sighting('k2', 'quota exceeded', '2025-03-11T12:00:00.000Z'),
          sighting('k2', 'quota exceeded', '2025-03-11T13:00:00.000Z'),
          sighting('k1', 'disk is full', '2025-03-12T00:00:00.000Z'),
        ]);
        expect(await textsBetween(store, '2025-03-10T00:00:00.000Z', '2025-03-12T00:00:00.000Z')).toEqual([
          { key: 'k1', text: 'disk is full', count: 3, lastSeen: '2025-03-11T07:00:00.000Z' },
          { key: 'k2', text: 'quota exceeded', count: 3, lastSeen: '2025-03-11T13:00:00.000Z' },
        ]);
        expect(await textsBetween(store, '2025-03-09T00:00:00.000Z', '2025-03-13T00:00:00.000Z')).toEqual([
          { key: 'k1', text: 'disk is full', count: 5, lastSeen: '2025-03-12T00:00:00.000Z' },
          { key: 'k2', text: 'quota exceeded', count: 3, lastSeen: '2025-03-11T13:00:00.000Z' },
        ]);
      });

      it('When a range starts or ends inside a day, Then that day counts whole (counts are kept per day)', async () => {
        await countAll(store, [sighting('k1', 't', '2025-03-10T08:00:00.000Z'), sighting('k1', 't', '2025-03-11T20:00:00.000Z'), sighting('k1', 't', '2025-03-12T01:00:00.000Z')]);
        expect(await textsBetween(store, '2025-03-10T12:00:00.000Z', '2025-03-11T00:00:00.001Z')).toEqual([{ key: 'k1', text: 't', count: 2, lastSeen: '2025-03-11T20:00:00.000Z' }]);
        // until at midnight: that day is outside.
        expect(await textsBetween(store, '2025-03-11T00:00:00.000Z', '2025-03-12T00:00:00.000Z')).toEqual([{ key: 'k1', text: 't', count: 1, lastSeen: '2025-03-11T20:00:00.000Z' }]);
      });

      it('When a later sighting has no text (counts only), Then the text already kept stays, that day and over days', async () => {
        await countAll(store, [
          sighting('kept', 'backup stuck', '2025-03-10T08:00:00.000Z'),
          sighting('kept', null, '2025-03-10T09:00:00.000Z'),
          sighting('kept', null, '2025-03-11T09:00:00.000Z'),
          sighting('late', null, '2025-03-10T08:00:00.000Z'),
          sighting('late', 'text comes later', '2025-03-10T08:30:00.000Z'),
          sighting('never', null, '2025-03-10T08:00:00.000Z'),
        ]);
        expect(await textsBetween(store, '2025-03-10T00:00:00.000Z', '2025-03-12T00:00:00.000Z')).toEqual([
          { key: 'kept', text: 'backup stuck', count: 3, lastSeen: '2025-03-11T09:00:00.000Z' },
          { key: 'late', text: 'text comes later', count: 2, lastSeen: '2025-03-10T08:30:00.000Z' },
          { key: 'never', text: null, count: 1, lastSeen: '2025-03-10T08:00:00.000Z' },
        ]);
        expect(await textsBetween(store, '2025-03-11T00:00:00.000Z', '2025-03-12T00:00:00.000Z')).toEqual([{ key: 'kept', text: null, count: 1, lastSeen: '2025-03-11T09:00:00.000Z' }]);
      });

      it('When sightings are counted out of order, Then lastSeen is the latest of them, within a day and over days', async () => {
        await countAll(store, [
          sighting('k', 'x', '2025-03-11T10:00:00.000Z'),
          sighting('k', 'x', '2025-03-11T09:00:00.000Z'),
          sighting('k', 'x', '2025-03-10T23:00:00.000Z'),
          sighting('k', 'x', '2025-03-10T22:00:00.000Z'),
        ]);
        expect(await textsBetween(store, '2025-03-10T00:00:00.000Z', '2025-03-12T00:00:00.000Z')).toEqual([{ key: 'k', text: 'x', count: 4, lastSeen: '2025-03-11T10:00:00.000Z' }]);
        expect(await textsBetween(store, '2025-03-10T00:00:00.000Z', '2025-03-11T00:00:00.000Z')).toEqual([{ key: 'k', text: 'x', count: 2, lastSeen: '2025-03-10T23:00:00.000Z' }]);
      });

      it('When group keys hold characters a key may forbid, Then they are counted and come back as given', async () => {
        await countAll(store, [sighting('a/b\\c#d?e%f', 'odd', '2025-03-10T08:00:00.000Z'), sighting('a/b\\c#d?e%f', 'odd', '2025-03-10T09:00:00.000Z')]);
        expect(await textsBetween(store, '2025-03-10T00:00:00.000Z', '2025-03-11T00:00:00.000Z')).toEqual([{ key: 'a/b\\c#d?e%f', text: 'odd', count: 2, lastSeen: '2025-03-10T09:00:00.000Z' }]);
      });
    });

    describe('pruning', () => {
      const before = at('2025-03-20T12:00:00.000Z');
      const sessions = [
        bare('old', '2025-03-01T10:00:00.000Z', '2025-03-01T10:30:00.000Z'),
        bare('started-old-active-late', '2025-03-18T10:00:00.000Z', '2025-03-21T09:00:00.000Z'),
        complete('last-at-the-cut', '2025-03-19T23:50:00.000Z', '2025-03-20T12:00:00.000Z'),
        complete('cut-day-idle', '2025-03-20T00:10:00.000Z', '2025-03-20T11:59:59.999Z'),
        bare('cut-day-active', '2025-03-20T11:00:00.000Z', '2025-03-20T12:30:00.000Z'),
        bare('recent', '2025-03-25T08:00:00.000Z'),
      ];
      const texts = [
        sighting('day-before-cut', 'a', '2025-03-19T23:59:59.999Z'),
        sighting('spans-the-cut', 'b', '2025-03-19T10:00:00.000Z'),
        sighting('spans-the-cut', 'b', '2025-03-20T00:00:00.000Z'),
        sighting('long-ago', 'c', '2025-03-01T10:00:00.000Z'),
        sighting('after', 'd', '2025-03-21T10:00:00.000Z'),
      ];

      it('When pruned, Then sessions last active before the cut are gone (by lastAt, not start) and the others stay', async () => {
        await store.saveSessions(sessions);
        await store.pruneBefore(before);
        const left = await store.sessionsStartedBetween(at('2025-01-01T00:00:00.000Z'), at('2026-01-01T00:00:00.000Z'));
        expect(left).toStrictEqual([sessions[1], sessions[2], sessions[4], sessions[5]]);
      });

      it("When pruned, Then text counts of days before the cut-off's day are gone and that day's counts stay whole", async () => {
        await countAll(store, texts);
        await store.pruneBefore(before);
        expect(await textsBetween(store, '2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')).toEqual([
          { key: 'after', text: 'd', count: 1, lastSeen: '2025-03-21T10:00:00.000Z' },
          { key: 'spans-the-cut', text: 'b', count: 1, lastSeen: '2025-03-20T00:00:00.000Z' },
        ]);
      });

      it('When pruned twice, or with nothing to prune, Then nothing fails and what stays is unchanged', async () => {
        await store.pruneBefore(before);
        await store.saveSessions(sessions);
        await countAll(store, texts);
        await store.pruneBefore(before);
        await store.pruneBefore(before);
        expect(ids(await store.sessionsStartedBetween(at('2025-01-01T00:00:00.000Z'), at('2026-01-01T00:00:00.000Z')))).toEqual([
          'started-old-active-late',
          'last-at-the-cut',
          'cut-day-active',
          'recent',
        ]);
        expect((await textsBetween(store, '2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')).map((text) => text.key)).toEqual(['after', 'spans-the-cut']);
      });
    });
  });
}
