/**
 * composeDeliveries: the dispatcher runs as soon as it is composed, with the
 * handlers it is given, and what ended more than 30 days ago is pruned at once
 * (not only a day later: a bot restarted daily would never prune). And
 * deliveryHandlers, where each kind gets its handler from the configuration.
 */
import { CloudAdapter, MemoryStorage } from 'botbuilder';
import { loadConfig } from '../../src/config';
import { SqliteDeliveryStore } from '../../src/data-access/sqlite-delivery-store';
import { DELIVERY_RETENTION_MS, composeDeliveries, deliveryHandlers } from '../../src/bot/compose-deliveries';
import type { DeliveryHandler } from '../../src/domain/delivery/delivery-dispatcher';
import type { LogLevel } from '../../src/logger';
import { eventually } from '../support/fake-helpdesk';

describe('composeDeliveries', () => {
  let store: SqliteDeliveryStore;
  let logs: { level: LogLevel; event: string; fields: Record<string, unknown> }[];
  const logger = { log: (level: LogLevel, event: string, fields: Record<string, unknown> = {}) => void logs.push({ level, event, fields }) };

  beforeEach(() => {
    store = new SqliteDeliveryStore(':memory:');
    logs = [];
  });
  afterEach(() => store.close());

  async function cancelledAt(id: string, at: number): Promise<void> {
    await store.add({ id, kind: 'follow-up', payload: {}, conversation: null, dueAt: at + 60_000 }, at);
    await store.cancel(id, at);
  }

  it('When composed, Then entries that ended more than 30 days ago are pruned at once and younger ones kept', async () => {
    const now = Date.now();
    await cancelledAt('old', now - DELIVERY_RETENTION_MS - 60_000);
    await cancelledAt('young', now - DELIVERY_RETENTION_MS + 60_000);
    const composed = composeDeliveries({ store, handlers: {}, logger });
    await eventually(() => logs.some((line) => line.event === 'delivery.pruned'), 'pruned');
    await composed.stop();
    expect(await store.get('old')).toBeUndefined();
    expect(await store.get('young')).toBeDefined();
    expect(logs.find((line) => line.event === 'delivery.pruned')!.fields).toEqual({ count: 1 });
  });

  it('When composed with handlers, Then the dispatcher is started and delivers what is due; stop waits for it', async () => {
    const asked: string[] = [];
    const followUps: DeliveryHandler = {
      name: 'follow-up',
      deliver: async (entry) => {
        asked.push(entry.id);
        return { reference: `activity-${entry.id}` };
      },
    };
    await store.add({ id: 'fu-1', kind: 'follow-up', payload: {}, conversation: null, dueAt: Date.now() }, Date.now());
    const composed = composeDeliveries({ store, handlers: { 'follow-up': followUps }, logger });
    expect(composed.dispatcher.handles('follow-up')).toBe(true);
    expect(composed.dispatcher.handles('ticket')).toBe(false);
    await eventually(() => asked.length === 1, 'delivered by the started dispatcher');
    await composed.stop();
    expect(await store.get('fu-1')).toMatchObject({ status: 'delivered' });
  });

  it('When pruning fails, Then it is logged by its error class and nothing else stops', async () => {
    store.prune = async () => {
      throw new TypeError('disk says no');
    };
    const composed = composeDeliveries({ store, handlers: {}, logger });
    await eventually(() => logs.some((line) => line.event === 'delivery.prune-failed'), 'prune failure logged');
    await composed.stop();
    expect(logs.find((line) => line.event === 'delivery.prune-failed')).toEqual({ level: 'error', event: 'delivery.prune-failed', fields: { errorClass: 'TypeError' } });
  });
});

describe('deliveryHandlers', () => {
  const parts = (env: Record<string, string>) => ({
    config: loadConfig(env),
    adapter: new CloudAdapter(),
    messenger: { send: async () => undefined },
    storage: new MemoryStorage(),
    logger: { log: () => undefined },
    bot: () => {
      throw new Error('no bot in these tests');
    },
  });

  it('When no helpdesk is configured, Then there is no ticket handler (the dispatcher runs all the same)', () => {
    expect(deliveryHandlers(parts({})).ticket).toBeUndefined();
  });

  it('When follow-ups are on (the default), Then they have a handler that waits up to the 7-day answer window; FOLLOW_UP_AFTER=0 has none', () => {
    expect(deliveryHandlers(parts({}))['follow-up']).toMatchObject({ name: 'follow-up', retry: { maxAgeMs: 7 * 24 * 60 * 60_000 } });
    expect(deliveryHandlers(parts({ FOLLOW_UP_AFTER: '0' }))['follow-up']).toBeUndefined();
  });

  it('When a helpdesk is configured, Then tickets have a handler with the HELPDESK_RETRY_* policy', () => {
    const handlers = deliveryHandlers(parts({ HELPDESK_WEBHOOK_URL: 'https://helpdesk.example.com/hooks', HELPDESK_RETRY_BASE_MS: '250', HELPDESK_RETRY_MAX_MS: '5000', HELPDESK_MAX_AGE_MS: '600000' }));
    expect(handlers.ticket).toMatchObject({ name: 'webhook', retry: { baseDelayMs: 250, maxDelayMs: 5_000, maxAgeMs: 600_000 } });
    expect(typeof handlers.ticket!.settle).toBe('function');
  });
});
