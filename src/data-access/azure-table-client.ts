/**
 * Table clients for the Azure Table stores (insights, deliveries), made the same
 * careful way: https, or plain http only to an emulator on this machine (Azurite),
 * and errors that never quote the connection string or a request URL (which
 * carries a SAS token).
 */
import { TableClient } from '@azure/data-tables';

/** `storeName` names the store in errors ("Azure Table delivery store"). */
export function tableClient(connectionString: string, table: string, storeName: string): TableClient {
  let client: TableClient;
  try {
    client = TableClient.fromConnectionString(connectionString, table);
  } catch (error) {
    throw new Error(`${storeName}: the storage connection string gives no usable Table endpoint${sdkReason(error)}`);
  }
  const { protocol, hostname } = new URL(client.url);
  if (protocol === 'https:') return client;
  // Plain http only for an emulator on this machine (Azurite), never over a network. Refused here rather than
  // by the SDK, whose message quotes the request URL, and with it a SAS token.
  if (protocol !== 'http:' || !isLoopback(hostname)) throw new Error(`${storeName}: the Table endpoint must be https (plain http only on loopback, for Azurite)`);
  return TableClient.fromConnectionString(connectionString, table, { allowInsecureConnection: true });
}

/** The SDK's own reason, only when it is one of its fixed sentences: never any part of the string itself. */
function sdkReason(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  return /^Invalid [A-Za-z]+ in the provided (SAS )?Connection String$/.test(message) ? ` (${message})` : '';
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** The HTTP status of a failed Table call (409, 412, 404 … as `statusCode`; the SDK gives no `code` for these). */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
