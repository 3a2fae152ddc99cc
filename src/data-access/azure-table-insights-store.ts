/**
 * The insights store (src/domain/insights/insights-store.ts) in Azure Table
 * storage, for STORAGE=azure-blob: every instance of the bot writes sessions and
 * text counts to the same two tables, in the same storage account as the state.
 * It keeps the semantics of the SQLite store (sqlite-insights-store.ts); the
 * shared contract test (test/data-access/insights-store-contract.ts) holds both.
 *
 * - `insightSessions`: PartitionKey = the UTC day the session started
 *   (YYYY-MM-DD), RowKey = its id; the record's fields as properties, times as
 *   Edm.DateTime and the causes as JSON. A period's sessions are a range of
 *   partitions, filtered precisely on `startedAt`.
 * - `insightTexts`: PartitionKey = the UTC day of the sightings, RowKey = the
 *   group key; `text`, `count` and `lastSeen`. Several instances count the same
 *   text: each increment reads the entity and writes it back only if its ETag
 *   has not changed, and tries again if it has.
 *
 * Tables are made on first use. The store is built from the state's connection
 * string, which must give a Table endpoint (an account key with EndpointSuffix,
 * or a TableEndpoint=…); the clients are built on first use too, so that a
 * string without one fails the insights writes (logged) and not the bot.
 */
import { statusOf, tableClient } from './azure-table-client';
import type { TableClient} from '@azure/data-tables';
import { odata, type TableEntity, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import type { InsightsStore, TextCount, TextSighting } from '../domain/insights/insights-store';
import type { CauseStep, SessionRecord } from '../domain/insights/session';
import { InProcessLock } from './conversation-lock';

export interface AzureTableInsightsStoreOptions {
  sessionsTable?: string;
  textsTable?: string;
}

export const DEFAULT_SESSIONS_TABLE = 'insightSessions';
export const DEFAULT_TEXTS_TABLE = 'insightTexts';

/** A table transaction holds at most 100 operations, all in one partition. */
const MAX_TRANSACTION_OPERATIONS = 100;
/** Deletes in flight at once while pruning: enough to be quick, few enough not to flood the account. */
const PRUNE_CONCURRENCY = 8;
/**
 * Tries of one increment under contention. Increments of one text are queued in
 * the instance, so only other instances compete: a handful of tries is the norm,
 * the bound only stops a runaway loop.
 */
const MAX_COUNT_ATTEMPTS = 50;
const RETRY_BASE_MS = 5;
const RETRY_MAX_MS = 200;

// Type aliases, not interfaces: the SDK's transaction actions want entities assignable to Record<string, unknown>.
type SessionProperties = {
  startedAt: Date;
  lastAt: Date;
  via: SessionRecord['via'];
  language: SessionRecord['language'];
  channel: string;
  category?: SessionRecord['category'];
  how?: SessionRecord['how'];
  os?: SessionRecord['os'];
  engaged: boolean;
  unrecognised: boolean;
  outcome?: SessionRecord['outcome'];
  followUp?: SessionRecord['followUp'];
  /** JSON of CauseStep[]. */
  causes: string;
};

type TextProperties = {
  /** Absent when no sighting of the group on that day kept its text (the service has no null). */
  text?: string;
  count: number;
  lastSeen: Date;
};

type SessionEntity = TableEntity<SessionProperties>;
type TextEntity = TableEntity<TextProperties>;

export class AzureTableInsightsStore implements InsightsStore {
  private readonly sessionsTable: string;
  private readonly textsTable: string;
  private clients?: { sessions: TableClient; texts: TableClient };
  private readonly created = new Map<TableClient, Promise<void>>();
  /** Increments of one text and day queue here first: this instance never competes with itself. */
  private readonly textQueue = new InProcessLock();

  constructor(
    private readonly connectionString: string,
    options: AzureTableInsightsStoreOptions = {},
  ) {
    this.sessionsTable = options.sessionsTable ?? DEFAULT_SESSIONS_TABLE;
    this.textsTable = options.textsTable ?? DEFAULT_TEXTS_TABLE;
  }

  async saveSessions(sessions: readonly SessionRecord[]): Promise<void> {
    if (sessions.length === 0) return;
    const table = await this.table('sessions');
    // Each partition's sessions go in transactions of up to 100; partitions one after the other
    // (unlike SQLite, a save spanning several days is not all-or-nothing).
    for (const batch of upsertBatches(sessions)) await table.submitTransaction(batch);
  }

  async countText(sighting: TextSighting): Promise<void> {
    const day = dayOf(new Date(sighting.at));
    const table = await this.table('texts');
    await this.textQueue.withLock(`${day}/${sighting.key}`, () => incrementText(table, day, sighting));
  }

  async sessionsStartedBetween(since: Date, until: Date): Promise<SessionRecord[]> {
    if (until.getTime() <= since.getTime()) return [];
    const table = await this.table('sessions');
    const filter = odata`PartitionKey ge ${dayOf(since)} and PartitionKey le ${lastDayBefore(until)} and startedAt ge ${since} and startedAt lt ${until}`;
    const sessions: SessionRecord[] = [];
    for await (const entity of table.listEntities<SessionProperties>({ queryOptions: { filter } })) sessions.push(fromEntity(entity));
    // The service returns a partition's entities by RowKey (the id); the SQLite store orders by start.
    return sessions.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || compare(a.id, b.id));
  }

  async textsSeenBetween(since: Date, until: Date): Promise<TextCount[]> {
    // Counts are per day: every day [since, until) touches counts whole, as in the SQLite store.
    const table = await this.table('texts');
    const filter = odata`PartitionKey ge ${dayOf(since)} and PartitionKey le ${lastDayBefore(until)}`;
    const byKey = new Map<string, TextCount>();
    for await (const entity of table.listEntities<TextProperties>({ queryOptions: { filter } })) {
      const day = textCountOf(entity);
      byKey.set(day.key, summed(byKey.get(day.key), day));
    }
    return [...byKey.values()].sort((a, b) => compare(a.key, b.key));
  }

  async pruneBefore(before: Date): Promise<void> {
    const cutOffDay = dayOf(before);
    const [sessions, texts] = await Promise.all([this.table('sessions'), this.table('texts')]);
    // A session last active before `before` started no later than the cut-off day.
    const oldSessions = await keysOf(sessions, odata`PartitionKey le ${cutOffDay} and lastAt lt ${before}`);
    // With its ETag: a session saved again since the query (active after all) is not deleted.
    await forEachConcurrently(oldSessions, PRUNE_CONCURRENCY, (key) => deleteIfPresent(sessions, key, key.etag));
    const oldTexts = await keysOf(texts, odata`PartitionKey lt ${cutOffDay}`);
    await forEachConcurrently(oldTexts, PRUNE_CONCURRENCY, (key) => deleteIfPresent(texts, key));
  }

  /** The table's client, the table made if it is missing (once per store, tried again after a failure). */
  private async table(which: 'sessions' | 'texts'): Promise<TableClient> {
    this.clients ??= {
      sessions: tableClient(this.connectionString, this.sessionsTable, 'Azure Table insights store'),
      texts: tableClient(this.connectionString, this.textsTable, 'Azure Table insights store'),
    };
    const client = this.clients[which];
    let creating = this.created.get(client);
    if (!creating) {
      // createTable already shrugs off TableAlreadyExists (another instance made it first).
      creating = client.createTable();
      this.created.set(client, creating);
      creating.catch(() => this.created.delete(client));
    }
    await creating;
    return client;
  }
}

// ---------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------




// ---------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------

/** Upserts grouped by partition, at most 100 a transaction; an id saved twice in one call keeps its last state. */
function upsertBatches(sessions: readonly SessionRecord[]): TransactionAction[][] {
  // The service rejects a transaction touching one entity twice; SQLite's last write wins, so keep the last.
  const latest = new Map<string, SessionEntity>();
  for (const session of sessions) latest.set(session.id, toEntity(session));
  const byPartition = new Map<string, SessionEntity[]>();
  for (const entity of latest.values()) {
    const partition = byPartition.get(entity.partitionKey);
    if (partition) partition.push(entity);
    else byPartition.set(entity.partitionKey, [entity]);
  }
  return [...byPartition.values()].flatMap((entities) =>
    chunks(entities, MAX_TRANSACTION_OPERATIONS).map((chunk) => chunk.map((entity): TransactionAction => ['upsert', entity, 'Replace'])),
  );
}

/**
 * Optional fields absent when unset, so that Replace removes a field a later save no longer has.
 * The partition is the start day: `startedAt` never changes for an id (session.ts), so neither does it.
 */
function toEntity(session: SessionRecord): SessionEntity {
  const startedAt = new Date(session.startedAt);
  return {
    partitionKey: dayOf(startedAt),
    rowKey: toRowKey(session.id),
    startedAt,
    lastAt: new Date(session.lastAt),
    via: session.via,
    language: session.language,
    channel: session.channel,
    ...(session.category ? { category: session.category } : {}),
    ...(session.how ? { how: session.how } : {}),
    ...(session.os ? { os: session.os } : {}),
    engaged: session.engaged,
    unrecognised: session.unrecognised,
    ...(session.outcome ? { outcome: session.outcome } : {}),
    ...(session.followUp ? { followUp: session.followUp } : {}),
    causes: JSON.stringify(session.causes),
  };
}

/** The record as the SQLite store gives it back: the same fields in the same order, optional ones only when set. */
function fromEntity(entity: TableEntityResult<SessionProperties>): SessionRecord {
  return {
    id: fromRowKey(entity.rowKey ?? ''),
    startedAt: isoOf(entity.startedAt),
    lastAt: isoOf(entity.lastAt),
    via: entity.via,
    language: entity.language,
    channel: entity.channel,
    ...(entity.category ? { category: entity.category } : {}),
    ...(entity.how ? { how: entity.how } : {}),
    ...(entity.os ? { os: entity.os } : {}),
    engaged: entity.engaged === true,
    unrecognised: entity.unrecognised === true,
    causes: JSON.parse(entity.causes) as CauseStep[],
    ...(entity.outcome ? { outcome: entity.outcome } : {}),
    ...(entity.followUp ? { followUp: entity.followUp } : {}),
  };
}

// ---------------------------------------------------------------------------
// Texts
// ---------------------------------------------------------------------------

type IncrementResult = 'done' | 'lost-race';

/** Adds one sighting to the group's entity of the day, trying again while other writers get there first. */
async function incrementText(table: TableClient, day: string, sighting: TextSighting): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    if ((await tryIncrement(table, day, sighting)) === 'done') return;
    if (attempt >= MAX_COUNT_ATTEMPTS) throw new Error(`Azure Table insights store: a text count kept changing under ${MAX_COUNT_ATTEMPTS} tries; this sighting is not counted`);
    await sleep(backoffMs(attempt));
  }
}

/** One read-modify-write: create when missing (409: someone else did), else replace only if unchanged (412: it changed). */
async function tryIncrement(table: TableClient, day: string, sighting: TextSighting): Promise<IncrementResult> {
  const rowKey = toRowKey(sighting.key);
  const current = await getIfPresent<TextProperties>(table, day, rowKey);
  const at = new Date(sighting.at);
  try {
    if (!current) {
      await table.createEntity<TextProperties>({ partitionKey: day, rowKey, ...textProperties(sighting.text ?? undefined, 1, at) });
    } else {
      // As SQLite's COALESCE(excluded.text, text): a sighting without text keeps the text already there.
      const text = sighting.text ?? current.text;
      const lastSeen = at.getTime() > dateOf(current.lastSeen).getTime() ? at : dateOf(current.lastSeen);
      const next: TextEntity = { partitionKey: day, rowKey, ...textProperties(text, current.count + 1, lastSeen) };
      await table.updateEntity(next, 'Replace', { etag: current.etag });
    }
    return 'done';
  } catch (error) {
    // 409: created by another writer since our read; 412: changed since; 404: pruned since. Read again.
    if ([409, 412, 404].includes(statusOf(error) ?? 0)) return 'lost-race';
    throw error;
  }
}

function textProperties(text: string | undefined, count: number, lastSeen: Date): TextProperties {
  return { ...(text === undefined ? {} : { text }), count, lastSeen };
}

function textCountOf(entity: TableEntityResult<TextProperties>): TextCount {
  return { key: fromRowKey(entity.rowKey ?? ''), text: entity.text ?? null, count: entity.count, lastSeen: isoOf(entity.lastSeen) };
}

/**
 * One group's days added up: counts summed, the latest sighting, and a text whenever a day kept one
 * (the greatest, as SQLite's MAX(text): the same answer from both stores whatever the order of days).
 */
function summed(sofar: TextCount | undefined, day: TextCount): TextCount {
  if (!sofar) return day;
  const text = sofar.text === null ? day.text : day.text === null ? sofar.text : compare(sofar.text, day.text) >= 0 ? sofar.text : day.text;
  const lastSeen = Date.parse(day.lastSeen) > Date.parse(sofar.lastSeen) ? day.lastSeen : sofar.lastSeen;
  return { key: sofar.key, text, count: sofar.count + day.count, lastSeen };
}

// ---------------------------------------------------------------------------
// Table helpers
// ---------------------------------------------------------------------------

interface EntityKey {
  partitionKey: string;
  rowKey: string;
  etag: string;
}

async function getIfPresent<T extends object>(table: TableClient, partitionKey: string, rowKey: string): Promise<TableEntityResult<T> | undefined> {
  try {
    return await table.getEntity<T>(partitionKey, rowKey);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** The keys (and ETags) of the entities the filter selects, read whole before anything is deleted. */
async function keysOf(table: TableClient, filter: string): Promise<EntityKey[]> {
  const keys: EntityKey[] = [];
  const entities = table.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } });
  for await (const { partitionKey, rowKey, etag } of entities) {
    if (partitionKey !== undefined && rowKey !== undefined) keys.push({ partitionKey, rowKey, etag });
  }
  return keys;
}

/** Deletes the entity (only in the state `etag` names, when given); gone already, or changed since, is fine. */
async function deleteIfPresent(table: TableClient, key: EntityKey, etag?: string): Promise<void> {
  try {
    await table.deleteEntity(key.partitionKey, key.rowKey, etag === undefined ? {} : { etag });
  } catch (error) {
    const status = statusOf(error);
    if (status !== 404 && status !== 412) throw error;
  }
}


// ---------------------------------------------------------------------------
// Keys, days and small utilities
// ---------------------------------------------------------------------------

/**
 * PartitionKey and RowKey may not hold / \ # ? or control characters. Ids and group keys are
 * hex and short ids today; encoding keeps any string usable and leaves those unchanged.
 */
function toRowKey(value: string): string {
  return encodeURIComponent(value);
}

function fromRowKey(rowKey: string): string {
  return decodeURIComponent(rowKey);
}

/** The UTC day, YYYY-MM-DD: partition keys sort as the days do. */
function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The last day [.., until) touches: `until` is excluded, so midnight belongs to the day before. */
function lastDayBefore(until: Date): string {
  return dayOf(new Date(until.getTime() - 1));
}

/** The SDK gives Edm.DateTime back as a Date; a property typed by hand as a string reads as well. */
function dateOf(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

function isoOf(value: Date | string): string {
  return dateOf(value).toISOString();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Full jitter, doubling up to a cap: writers that lost a race spread out instead of colliding again. */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempt);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
