/**
 * The delivery store (src/domain/delivery/delivery-store.ts) in Azure Table
 * storage, for STORAGE=azure-blob: every instance of the bot keeps its tickets,
 * follow-ups and Teams posts in one table of the state's storage account, so an
 * entry stored by one instance is delivered by whichever instance claims it
 * first, exactly once, and survives the instance that stored it. It keeps the
 * semantics of the SQLite store (sqlite-delivery-store.ts); the shared contract
 * test (test/data-access/delivery-store-contract.ts) holds both.
 *
 * Table `deliveries` (made on first use), one entity per delivery:
 *
 * - PartitionKey: always `d`. Every per-entry operation (add, get, claim and
 *   each change) is a point read or write by id, and the port gives only the id
 *   — not the kind, not the user — so the id alone must name the entity: a
 *   partition per kind or per user would make each of them a look-up across
 *   partitions, and `add` could no longer be idempotent per id by a plain
 *   create. `due`, `openFor` and `prune` are then one filtered query of one
 *   partition (never a cross-partition table scan). The table holds only what
 *   is in flight or kept until `prune` (deliveries per human conversation: a
 *   few a minute at most), far below a partition's ~2,000 operations a second.
 * - RowKey: the id, URL-encoded (/ \ # ? are not allowed in keys).
 * - The entry's fields as properties, absent when unset: times as Edm.DateTime
 *   (the port's epoch milliseconds, exact), payload and conversation as JSON.
 *   A property holds at most 64 KiB (32,768 UTF-16 code units): a JSON longer
 *   than 32,000 goes on in `payload1`, `payload2`… with `payloadParts` giving
 *   the count (the same for `conversation`). An entity holds at most 1 MiB, so
 *   an entry whose JSON is longer than 480,000 code units in all is refused with
 *   an error before anything is written (Azurite does not enforce the 1 MiB; the
 *   service would, with a less clear error). Azurite 3.35 also decodes each chunk
 *   of a request body on its own, so in a write of more than ~64 KiB a non-ASCII
 *   character on a chunk boundary is stored as U+FFFD (Azure/Azurite#2670): large
 *   Japanese cases are faithful on the service, not always on the emulator.
 * - `awaiting` ('attempt' | 'settle' | 'nothing') and `claimedBy` ('' when
 *   unclaimed, the claim's `claimedUntil` then absent) are always present: the
 *   service cannot filter on a missing property (a comparison with one is false),
 *   and `due` must say "not settled" and "unclaimed" server-side.
 *
 * Every change is read – check – write with `updateEntity(…, 'Replace', { etag })`:
 * the service refuses the write (412) if anyone changed the entity since the
 * read. A claim that loses that race returns false; a change by the claim's owner
 * reads again and re-checks (a user's cancel or settle may have touched the
 * entity while the owner still holds the claim), and so do `cancel` and
 * `settle(id, null)`.
 *
 * The client is built on first use from the state's connection string, which
 * must give a Table endpoint (https, or plain http on loopback for Azurite), as
 * for the insights store (azure-table-insights-store.ts).
 */
import { statusOf, tableClient } from './azure-table-client';
import type { TableClient} from '@azure/data-tables';
import { odata, type TableEntity, type TableEntityResult } from '@azure/data-tables';
import type { DeliveryEntry, DeliveryKind, DeliveryProblem, DeliveryStatus, DeliveryStore, FailureReason, NewDelivery } from '../domain/delivery/delivery-store';

export interface AzureTableDeliveryStoreOptions {
  table?: string;
}

export const DEFAULT_DELIVERIES_TABLE = 'deliveries';

/** The one partition (see the header for why one). */
export const DELIVERY_PARTITION = 'd';

/** Code units of JSON per property: a property holds at most 64 KiB of UTF-16 (32,768 units); a margin for the service's own accounting. */
export const JSON_CHUNK_LENGTH = 32_000;
/**
 * Code units of payload and conversation JSON together in one entry: an entity holds at most 1 MiB, strings count two
 * bytes a unit, and the other properties (keys, times, names) need far less than the ~64 KiB left.
 */
export const MAX_JSON_LENGTH = 480_000;

/**
 * Tries of one change under contention. The owner of a claim competes only with a user's cancel or settle and
 * with its own lease extension, so a second try is rare: the bound only stops a runaway loop.
 */
const MAX_WRITE_TRIES = 10;
/** Entities one `due` query reads at most before sorting: one page of the service. More due than that is a backlog; the rest come next time. */
const DUE_SCAN_LIMIT = 1_000;
/** Deletes in flight at once while pruning: enough to be quick, few enough not to flood the account. */
const PRUNE_CONCURRENCY = 8;
const RETRY_BASE_MS = 5;
const RETRY_MAX_MS = 200;

/** What is still to be done with an entry, derived from its status and settling on every write (see the header). */
type Awaiting = 'attempt' | 'settle' | 'nothing';

/** The two JSON fields, each split across `<field>`, `<field>1`, `<field>2`… when long. */
type JsonField = 'payload' | 'conversation';

// A type alias, not an interface: the SDK wants entities assignable to Record<string, unknown>.
type DeliveryProperties = {
  kind: DeliveryKind;
  status: DeliveryStatus;
  awaiting: Awaiting;
  /** JSON, or its first JSON_CHUNK_LENGTH code units when `payloadParts` is set. */
  payload: string;
  payloadParts?: number;
  conversation: string;
  conversationParts?: number;
  userKey?: string;
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date;
  dueAt: Date;
  reference?: string;
  lastErrorClass?: string;
  lastErrorStatus?: number;
  failureReason?: FailureReason;
  deliveredAt?: Date;
  failedAt?: Date;
  settledAt?: Date;
  settleAttempts: number;
  settleAbandonedAt?: Date;
  cancelledAt?: Date;
  /** '' when unclaimed. */
  claimedBy: string;
  claimedUntil?: Date;
  /** The rest of a long payload or conversation: `payload1`, `payload2`… */
  [continuation: `${JsonField}${number}`]: string;
};

type DeliveryEntity = TableEntity<DeliveryProperties>;

/** An entry as stored: the JSON kept as text (parsed only when handed out) and the claim, which the port does not show. */
interface Stored {
  id: string;
  kind: DeliveryKind;
  payloadJson: string;
  conversationJson: string;
  userKey?: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  /** When the current try fell due (the max age counts from here): `dueAt` when added, then each reschedule's time. */
  dueAt: number;
  reference?: string;
  lastError?: DeliveryProblem;
  failureReason?: FailureReason;
  deliveredAt?: number;
  failedAt?: number;
  settledAt?: number;
  settleAttempts: number;
  settleAbandonedAt?: number;
  cancelledAt?: number;
  claim?: { owner: string; until: number };
}

/** A change: the entry as it should become, or undefined to leave it (not the owner, wrong state). `attempt` counts from 1. */
type Change = (current: Stored, attempt: number) => Stored | undefined;

export class AzureTableDeliveryStore implements DeliveryStore {
  private readonly tableName: string;
  private client?: TableClient;
  private creating?: Promise<void>;

  constructor(
    private readonly connectionString: string,
    options: AzureTableDeliveryStoreOptions = {},
  ) {
    this.tableName = options.table ?? DEFAULT_DELIVERIES_TABLE;
  }

  async add(delivery: NewDelivery, now: number): Promise<{ entry: DeliveryEntry; created: boolean }> {
    const stored: Stored = {
      id: delivery.id,
      kind: delivery.kind,
      payloadJson: jsonOf(delivery.payload),
      conversationJson: jsonOf(delivery.conversation),
      ...(delivery.userKey === undefined ? {} : { userKey: delivery.userKey }),
      status: 'pending',
      attempts: 0,
      createdAt: now,
      nextAttemptAt: delivery.dueAt,
      dueAt: delivery.dueAt,
      settleAttempts: 0,
    };
    // Refused before the table is touched: nothing half-stored.
    const entity = toEntity(stored);
    const table = await this.table();
    for (let attempt = 1; ; attempt += 1) {
      try {
        await table.createEntity(entity);
        return { entry: toEntry(stored), created: true };
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
      }
      // Stored already (by this instance before a restart, or by another): the stored entry, unchanged.
      const existing = await this.read(delivery.id);
      if (existing) return { entry: toEntry(existing.stored), created: false };
      // Pruned between the create and the read: create it again.
      if (attempt >= MAX_WRITE_TRIES) throw new Error(`Azure Table delivery store: a ${delivery.kind} delivery kept appearing and vanishing under ${MAX_WRITE_TRIES} tries; not stored`);
    }
  }

  async get(id: string): Promise<DeliveryEntry | undefined> {
    const found = await this.read(id);
    return found && toEntry(found.stored);
  }

  async due(now: number, limit: number, settlingKinds: readonly DeliveryKind[]): Promise<string[]> {
    if (limit <= 0) return [];
    const table = await this.table();
    const at = new Date(now);
    const settling = settlingKinds.length === 0 ? '' : ` or (awaiting eq 'settle' and (${[...new Set(settlingKinds)].map((kind) => odata`kind eq ${kind}`).join(' or ')}))`;
    const filter =
      odata`PartitionKey eq ${DELIVERY_PARTITION} and nextAttemptAt le ${at} and (claimedBy eq '' or claimedUntil lt ${at})` + ` and (awaiting eq 'attempt'${settling})`;
    // Only what the order needs: a page of whole entries would carry every payload.
    const pages = table
      .listEntities<Pick<DeliveryProperties, 'nextAttemptAt' | 'createdAt'>>({ queryOptions: { filter, select: ['RowKey', 'nextAttemptAt', 'createdAt'] } })
      .byPage({ maxPageSize: DUE_SCAN_LIMIT });
    const found: { id: string; nextAttemptAt: number; createdAt: number }[] = [];
    const bound = Math.max(limit, DUE_SCAN_LIMIT);
    for await (const page of pages) {
      for (const entity of page) found.push({ id: fromRowKey(entity.rowKey ?? ''), nextAttemptAt: timeOf(entity.nextAttemptAt), createdAt: timeOf(entity.createdAt) });
      if (found.length >= bound) break;
    }
    // The service returns the partition by RowKey (the id): the oldest due first is sorted here.
    found.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt || compare(a.id, b.id));
    return found.slice(0, limit).map((entry) => entry.id);
  }

  async claim(id: string, owner: string, now: number, until: number): Promise<boolean> {
    if (owner === '') throw new RangeError('Azure Table delivery store: a claim needs a non-empty owner');
    const changed = await this.change(id, (current, attempt) => {
      const holder = current.claim;
      // First read: free, lapsed, or ours. After a lost race (412) only if still ours: someone else changed the
      // entity, and if that was a claim, it won; this one does not try again to take what it did not win.
      const mayTake = attempt === 1 ? !holder || holder.until < now || holder.owner === owner : holder?.owner === owner;
      return mayTake ? { ...current, claim: { owner, until } } : undefined;
    });
    return changed !== undefined;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.change(id, (current) => (ownedBy(current, owner) ? withoutClaim(current) : undefined));
  }

  async startAttempt(id: string, owner: string, _now: number): Promise<number | undefined> {
    const changed = await this.change(id, (current) => (ownedBy(current, owner) && current.status === 'pending' ? { ...current, attempts: current.attempts + 1 } : undefined));
    return changed?.attempts;
  }

  async scheduleRetry(id: string, owner: string, nextAttemptAt: number, problem: DeliveryProblem): Promise<boolean> {
    return this.changed(id, (current) => (ownedBy(current, owner) && current.status === 'pending' ? { ...current, nextAttemptAt, lastError: problemOf(problem) } : undefined));
  }

  async reschedule(id: string, owner: string, nextAttemptAt: number, payload?: unknown): Promise<boolean> {
    // Made once, not at each try; one too large is refused when the entity is built, before anything is written.
    const payloadJson = payload === undefined ? undefined : jsonOf(payload);
    return this.changed(id, (current) =>
      ownedBy(current, owner) && current.status === 'pending' ? { ...current, nextAttemptAt, dueAt: nextAttemptAt, ...(payloadJson === undefined ? {} : { payloadJson }) } : undefined,
    );
  }

  async markDelivered(id: string, owner: string, reference: string, now: number): Promise<boolean> {
    // Due at once for the settling step (telling the user), for the kinds that have one.
    return this.changed(id, (current) =>
      ownedBy(current, owner) && current.status === 'pending' ? { ...current, status: 'delivered', reference, deliveredAt: now, nextAttemptAt: now } : undefined,
    );
  }

  async markFailed(id: string, owner: string, reason: FailureReason, problem: DeliveryProblem | undefined, now: number): Promise<boolean> {
    return this.changed(id, (current) =>
      ownedBy(current, owner) && current.status === 'pending'
        ? { ...current, status: 'failed', failureReason: reason, ...(problem ? { lastError: problemOf(problem) } : {}), failedAt: now, nextAttemptAt: now }
        : undefined,
    );
  }

  async settle(id: string, owner: string | null, now: number): Promise<boolean> {
    // Whatever the status, as the SQLite store: the user may answer a follow-up that is still pending (asked in their
    // own turn), and then it is never due again.
    return this.changed(id, (current) => ((owner === null || ownedBy(current, owner)) && current.settledAt === undefined ? { ...current, settledAt: now } : undefined));
  }

  async scheduleSettle(id: string, owner: string, nextAttemptAt: number): Promise<boolean> {
    return this.changed(id, (current) =>
      ownedBy(current, owner) && settling(current) ? { ...current, settleAttempts: current.settleAttempts + 1, nextAttemptAt } : undefined,
    );
  }

  async abandonSettle(id: string, owner: string, now: number): Promise<boolean> {
    return this.changed(id, (current) =>
      ownedBy(current, owner) && settling(current) ? { ...current, settleAttempts: current.settleAttempts + 1, settleAbandonedAt: now } : undefined,
    );
  }

  async cancel(id: string, now: number): Promise<boolean> {
    return this.changed(id, (current) => (current.status === 'pending' ? { ...current, status: 'cancelled', cancelledAt: now } : undefined));
  }

  async openFor(userKey: string, kind: DeliveryKind, since: number, now: number): Promise<DeliveryEntry[]> {
    const table = await this.table();
    // The service narrows to this user's entries of the kind (a handful); the exact rule is applied here, once, in
    // `owesAnswer`, rather than half in OData (which cannot test a missing settledAt).
    const filter = odata`PartitionKey eq ${DELIVERY_PARTITION} and userKey eq ${userKey} and kind eq ${kind} and createdAt gt ${new Date(since)} and (status eq 'pending' or status eq 'delivered')`;
    const open: Stored[] = [];
    for await (const entity of table.listEntities<DeliveryProperties>({ queryOptions: { filter } })) {
      const stored = fromEntity(entity);
      if (owesAnswer(stored, now)) open.push(stored);
    }
    return open.sort((a, b) => b.createdAt - a.createdAt || compare(b.id, a.id)).map(toEntry);
  }

  async prune(before: number): Promise<number> {
    const table = await this.table();
    const at = new Date(before);
    // A missing time compares false: each branch holds only for entries that have that time.
    const filter = odata`PartitionKey eq ${DELIVERY_PARTITION} and (settledAt lt ${at} or failedAt lt ${at} or cancelledAt lt ${at} or settleAbandonedAt lt ${at} or deliveredAt lt ${at})`;
    const keys: string[] = [];
    for await (const entity of table.listEntities<{ settledAt?: Date; failedAt?: Date; cancelledAt?: Date; settleAbandonedAt?: Date; deliveredAt?: Date }>({
      queryOptions: { filter, select: ['RowKey', 'settledAt', 'failedAt', 'cancelledAt', 'settleAbandonedAt', 'deliveredAt'] },
    })) {
      // Delivered before the cut counts only while unsettled (a settled one goes by its settling time); a missing property cannot be filtered on the server.
      const ended = [entity.settledAt, entity.failedAt, entity.cancelledAt, entity.settleAbandonedAt].some((time) => time !== undefined && time < at);
      const unanswered = entity.settledAt === undefined && entity.deliveredAt !== undefined && entity.deliveredAt < at;
      if (entity.rowKey !== undefined && (ended || unanswered)) keys.push(entity.rowKey);
    }
    // Unconditional deletes: settled, failed, cancelled and abandoned never change back, and a delivery made before the
    // cut is long past any answer or telling (the retention is far longer than the answer window and the max age), so a
    // change since the query (a late release, say) does not make the entry worth keeping.
    let deleted = 0;
    await forEachConcurrently(keys, PRUNE_CONCURRENCY, async (rowKey) => {
      try {
        await table.deleteEntity(DELIVERY_PARTITION, rowKey);
        deleted += 1;
      } catch (error) {
        // Pruned by another instance meanwhile.
        if (statusOf(error) !== 404) throw error;
      }
    });
    return deleted;
  }

  // -------------------------------------------------------------------------

  /** `change` for the methods that answer whether anything changed. */
  private async changed(id: string, change: Change): Promise<boolean> {
    return (await this.change(id, change)) !== undefined;
  }

  /**
   * Read – check – conditional write, again after each lost race (412: changed since the read; 404: pruned since),
   * the check made afresh on what is there now. Returns the entry as written, or undefined if the check refused.
   */
  private async change(id: string, change: Change): Promise<Stored | undefined> {
    const table = await this.table();
    for (let attempt = 1; ; attempt += 1) {
      const found = await this.read(id);
      if (!found) return undefined;
      const next = change(found.stored, attempt);
      if (!next) return undefined;
      try {
        await table.updateEntity(toEntity(next), 'Replace', { etag: found.etag });
        return next;
      } catch (error) {
        if (![412, 404].includes(statusOf(error) ?? 0)) throw error;
      }
      if (attempt >= MAX_WRITE_TRIES) throw new Error(`Azure Table delivery store: a ${found.stored.kind} delivery kept changing under ${MAX_WRITE_TRIES} tries; not changed`);
      await sleep(backoffMs(attempt));
    }
  }

  private async read(id: string): Promise<{ stored: Stored; etag: string } | undefined> {
    const table = await this.table();
    try {
      const entity = await table.getEntity<DeliveryProperties>(DELIVERY_PARTITION, toRowKey(id));
      return { stored: fromEntity(entity), etag: entity.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** The table's client, the table made if it is missing (once per store, tried again after a failure). */
  private async table(): Promise<TableClient> {
    this.client ??= tableClient(this.connectionString, this.tableName, 'Azure Table delivery store');
    const client = this.client;
    if (!this.creating) {
      // createTable already shrugs off TableAlreadyExists (another instance made it first).
      const creating = client.createTable();
      this.creating = creating;
      creating.catch(() => {
        if (this.creating === creating) this.creating = undefined;
      });
    }
    await this.creating;
    return client;
  }
}

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

/** Owned by `owner`: the claim may have lapsed, but nobody else has taken it since (as in the SQLite store). */
function ownedBy(stored: Stored, owner: string): boolean {
  return stored.claim?.owner === owner;
}

/** Delivered or failed and still owing the settling step. */
function settling(stored: Stored): boolean {
  return (stored.status === 'delivered' || stored.status === 'failed') && stored.settledAt === undefined && stored.settleAbandonedAt === undefined;
}

/** A settled entry owes nothing, even one still pending (the user answered in their own turn). */
function awaitingOf(stored: Stored): Awaiting {
  if (stored.settledAt !== undefined) return 'nothing';
  if (stored.status === 'pending') return 'attempt';
  return settling(stored) ? 'settle' : 'nothing';
}

/** `openFor`'s rule: not settled, and delivered, or pending and due. */
function owesAnswer(stored: Stored, now: number): boolean {
  if (stored.settledAt !== undefined) return false;
  return stored.status === 'delivered' || (stored.status === 'pending' && stored.nextAttemptAt <= now);
}

function withoutClaim(stored: Stored): Stored {
  const { claim: _claim, ...rest } = stored;
  return rest;
}

/** Only the fields of the port: a caller's object may carry more (a message, a body) that has no place here. */
function problemOf(problem: DeliveryProblem): DeliveryProblem {
  return problem.status === undefined ? { errorClass: problem.errorClass } : { errorClass: problem.errorClass, status: problem.status };
}

// ---------------------------------------------------------------------------
// Entities
// ---------------------------------------------------------------------------

/** `undefined` has no JSON: stored as null, as the SQLite store does. */
function jsonOf(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Refuses an entry the service could not hold, naming sizes only: never any of the (personal) content. */
function checkSize(stored: Stored): void {
  const total = stored.payloadJson.length + stored.conversationJson.length;
  if (total > MAX_JSON_LENGTH) {
    throw new RangeError(
      `Azure Table delivery store: a ${stored.kind} delivery is too large to store (${total} UTF-16 code units of payload and conversation JSON; at most ${MAX_JSON_LENGTH}, an entity holds 1 MiB)`,
    );
  }
}

/** Optional fields absent when unset, so that Replace removes a field a later write no longer has. */
function toEntity(stored: Stored): DeliveryEntity {
  checkSize(stored);
  const entity: DeliveryEntity = {
    partitionKey: DELIVERY_PARTITION,
    rowKey: toRowKey(stored.id),
    kind: stored.kind,
    status: stored.status,
    awaiting: awaitingOf(stored),
    payload: '',
    conversation: '',
    ...(stored.userKey === undefined ? {} : { userKey: stored.userKey }),
    attempts: stored.attempts,
    createdAt: new Date(stored.createdAt),
    nextAttemptAt: new Date(stored.nextAttemptAt),
    dueAt: new Date(stored.dueAt),
    ...(stored.reference === undefined ? {} : { reference: stored.reference }),
    ...(stored.lastError === undefined ? {} : { lastErrorClass: stored.lastError.errorClass }),
    ...(stored.lastError?.status === undefined ? {} : { lastErrorStatus: stored.lastError.status }),
    ...(stored.failureReason === undefined ? {} : { failureReason: stored.failureReason }),
    ...(stored.deliveredAt === undefined ? {} : { deliveredAt: new Date(stored.deliveredAt) }),
    ...(stored.failedAt === undefined ? {} : { failedAt: new Date(stored.failedAt) }),
    ...(stored.settledAt === undefined ? {} : { settledAt: new Date(stored.settledAt) }),
    settleAttempts: stored.settleAttempts,
    ...(stored.settleAbandonedAt === undefined ? {} : { settleAbandonedAt: new Date(stored.settleAbandonedAt) }),
    ...(stored.cancelledAt === undefined ? {} : { cancelledAt: new Date(stored.cancelledAt) }),
    claimedBy: stored.claim?.owner ?? '',
    ...(stored.claim === undefined ? {} : { claimedUntil: new Date(stored.claim.until) }),
  };
  setJson(entity, 'payload', stored.payloadJson);
  setJson(entity, 'conversation', stored.conversationJson);
  return entity;
}

function fromEntity(entity: TableEntityResult<DeliveryProperties>): Stored {
  const stored: Stored = {
    id: fromRowKey(entity.rowKey ?? ''),
    kind: entity.kind,
    payloadJson: joinJson(entity, 'payload'),
    conversationJson: joinJson(entity, 'conversation'),
    status: entity.status,
    attempts: entity.attempts,
    createdAt: timeOf(entity.createdAt),
    nextAttemptAt: timeOf(entity.nextAttemptAt),
    dueAt: timeOf(entity.dueAt),
    settleAttempts: entity.settleAttempts,
  };
  if (entity.userKey !== undefined) stored.userKey = entity.userKey;
  if (entity.reference !== undefined) stored.reference = entity.reference;
  if (entity.lastErrorClass !== undefined) stored.lastError = problemOf({ errorClass: entity.lastErrorClass, ...(entity.lastErrorStatus === undefined ? {} : { status: entity.lastErrorStatus }) });
  if (entity.failureReason !== undefined) stored.failureReason = entity.failureReason;
  if (entity.deliveredAt !== undefined) stored.deliveredAt = timeOf(entity.deliveredAt);
  if (entity.failedAt !== undefined) stored.failedAt = timeOf(entity.failedAt);
  if (entity.settledAt !== undefined) stored.settledAt = timeOf(entity.settledAt);
  if (entity.settleAbandonedAt !== undefined) stored.settleAbandonedAt = timeOf(entity.settleAbandonedAt);
  if (entity.cancelledAt !== undefined) stored.cancelledAt = timeOf(entity.cancelledAt);
  if (entity.claimedBy && entity.claimedUntil !== undefined) stored.claim = { owner: entity.claimedBy, until: timeOf(entity.claimedUntil) };
  return stored;
}

/** The entry as the port gives it: optional fields only when set, the JSON parsed. */
function toEntry(stored: Stored): DeliveryEntry {
  const entry: DeliveryEntry = {
    id: stored.id,
    kind: stored.kind,
    payload: JSON.parse(stored.payloadJson) as unknown,
    conversation: JSON.parse(stored.conversationJson) as unknown,
    status: stored.status,
    attempts: stored.attempts,
    createdAt: stored.createdAt,
    nextAttemptAt: stored.nextAttemptAt,
    dueAt: stored.dueAt,
    settleAttempts: stored.settleAttempts,
  };
  if (stored.userKey !== undefined) entry.userKey = stored.userKey;
  if (stored.reference !== undefined) entry.reference = stored.reference;
  if (stored.lastError !== undefined) entry.lastError = { ...stored.lastError };
  if (stored.failureReason !== undefined) entry.failureReason = stored.failureReason;
  if (stored.deliveredAt !== undefined) entry.deliveredAt = stored.deliveredAt;
  if (stored.failedAt !== undefined) entry.failedAt = stored.failedAt;
  if (stored.settledAt !== undefined) entry.settledAt = stored.settledAt;
  if (stored.settleAbandonedAt !== undefined) entry.settleAbandonedAt = stored.settleAbandonedAt;
  if (stored.cancelledAt !== undefined) entry.cancelledAt = stored.cancelledAt;
  return entry;
}

/**
 * The JSON in parts of at most JSON_CHUNK_LENGTH code units. A part never ends between the two halves of a surrogate
 * pair (an emoji in a note): each part stays well-formed UTF-16 on its own.
 */
function partsOf(json: string): string[] {
  if (json.length <= JSON_CHUNK_LENGTH) return [json];
  const parts: string[] = [];
  for (let start = 0; start < json.length; ) {
    let end = Math.min(start + JSON_CHUNK_LENGTH, json.length);
    if (end < json.length && isHighSurrogate(json.charCodeAt(end - 1))) end -= 1;
    parts.push(json.slice(start, end));
    start = end;
  }
  return parts;
}

/**
 * `<field>` alone when the JSON fits one property (the usual case: readable as is); else `<field>` holds the first
 * part, `<field>1`, `<field>2`… the rest, and `<field>Parts` the count.
 */
function setJson(entity: DeliveryProperties, field: JsonField, json: string): void {
  const [first, ...rest] = partsOf(json);
  entity[field] = first!;
  if (rest.length === 0) return;
  entity[`${field}Parts`] = rest.length + 1;
  rest.forEach((part, index) => (entity[`${field}${index + 1}` as const] = part));
}

function joinJson(entity: TableEntityResult<DeliveryProperties>, field: JsonField): string {
  const first = entity[field];
  const parts = entity[`${field}Parts`];
  if (parts === undefined) return first;
  let json = first;
  for (let index = 1; index < parts; index += 1) {
    const part = entity[`${field}${index}`];
    // A part missing means the entity was edited by hand: say so rather than hand out a truncated JSON.
    if (part === undefined) throw new Error(`Azure Table delivery store: a ${entity.kind} delivery lacks part ${index} of its ${field} (of ${parts})`);
    json += part;
  }
  return json;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

// ---------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------





// ---------------------------------------------------------------------------
// Keys, times and small utilities
// ---------------------------------------------------------------------------

/** PartitionKey and RowKey may not hold / \ # ? or control characters: encoding keeps any id usable. */
function toRowKey(id: string): string {
  return encodeURIComponent(id);
}

function fromRowKey(rowKey: string): string {
  return decodeURIComponent(rowKey);
}

/** The SDK gives Edm.DateTime back as a Date; a property typed by hand as a string reads as well. */
function timeOf(value: Date | string): number {
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
