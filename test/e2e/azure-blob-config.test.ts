/**
 * The scale-out variables of src/config.ts: STORAGE, AZURE_STORAGE_CONNECTION_STRING,
 * AZURE_STORAGE_CONTAINER, AZURE_LOCK_LEASE_SECONDS, AZURE_LOCK_WAIT_MS. A bad
 * value stops start-up with a message naming the variable, never its value.
 */
import { ConfigError, loadConfig } from '../../src/config';
import { azuriteConnectionString } from '../support/azurite';

const CONNECTION_STRING = azuriteConnectionString('http://127.0.0.1:10000/devstoreaccount1', 'http://127.0.0.1:10002/devstoreaccount1');

function configErrorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(Object.keys(env))}`);
}

describe('STORAGE and the Azure Blob variables', () => {
  test('default and STORAGE=sqlite: no Azure settings (SQLite in DATA_DIR)', () => {
    expect(loadConfig({}).azureBlobStorage).toBeUndefined();
    expect(loadConfig({ STORAGE: 'sqlite', AZURE_STORAGE_CONNECTION_STRING: CONNECTION_STRING }).azureBlobStorage).toBeUndefined();
  });

  test('STORAGE=azure-blob with a connection string: container bot-state, a 15 s lease, 15 s wait', () => {
    expect(loadConfig({ STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: CONNECTION_STRING }).azureBlobStorage).toEqual({
      connectionString: CONNECTION_STRING,
      container: 'bot-state',
      lockLeaseSeconds: 15,
      lockWaitMs: 15_000,
    });
  });

  test('container, lease and wait can be set', () => {
    const config = loadConfig({
      STORAGE: ' azure-blob ',
      AZURE_STORAGE_CONNECTION_STRING: CONNECTION_STRING,
      AZURE_STORAGE_CONTAINER: 'backup-bot-state-2',
      AZURE_LOCK_LEASE_SECONDS: '60',
      AZURE_LOCK_WAIT_MS: '5000',
    });
    expect(config.azureBlobStorage).toMatchObject({ container: 'backup-bot-state-2', lockLeaseSeconds: 60, lockWaitMs: 5_000 });
  });

  test.each([
    ['the emulator shortcut', 'UseDevelopmentStorage=true'],
    ['an account key', 'DefaultEndpointsProtocol=https;AccountName=contosobot;AccountKey=a2V5;EndpointSuffix=core.windows.net'],
    ['a SAS for blobs and tables', 'BlobEndpoint=https://contosobot.blob.core.windows.net/;TableEndpoint=https://contosobot.table.core.windows.net/;SharedAccessSignature=sv=2024-11-04&ss=bt&srt=sco&sp=rwdlac&sig=abc'],
  ])('accepts the connection string shapes of the SDK: %s', (_shape, connectionString) => {
    expect(loadConfig({ STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: connectionString }).azureBlobStorage?.connectionString).toBe(connectionString);
  });

  // Titles name the case, not the environment: the rows hold (emulator) keys.
  test.each([
    ['an unknown STORAGE', 'STORAGE', { STORAGE: 'blob' }, /must be one of sqlite, azure-blob/],
    ['azure-blob without a connection string', 'AZURE_STORAGE_CONNECTION_STRING', { STORAGE: 'azure-blob' }, /is required when STORAGE is azure-blob/],
    ['a SAS URL instead of a connection string', 'AZURE_STORAGE_CONNECTION_STRING', { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: 'https://contosobot.blob.core.windows.net/?sv=x&sig=SECRET-SAS' }, /must be an Azure Storage connection string/],
    ['a connection string without its key', 'AZURE_STORAGE_CONNECTION_STRING', { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: 'AccountName=contosobot;AccountKey=' }, /must be an Azure Storage connection string/],
    ['a blob-only SAS (the insights need the Table service)', 'AZURE_STORAGE_CONNECTION_STRING', { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: 'BlobEndpoint=https://contosobot.blob.core.windows.net/;SharedAccessSignature=sv=2024-11-04&ss=b&sig=SECRET-SAS' }, /must reach the Table service too/],
    ['a container name with capitals and _', 'AZURE_STORAGE_CONTAINER', { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: CONNECTION_STRING, AZURE_STORAGE_CONTAINER: 'Bot_State' }, /must be a blob container name/],
    ['a container name with --', 'AZURE_STORAGE_CONTAINER', { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: CONNECTION_STRING, AZURE_STORAGE_CONTAINER: 'bot--state' }, /must be a blob container name/],
    ['a 10 s lease', 'AZURE_LOCK_LEASE_SECONDS', { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: CONNECTION_STRING, AZURE_LOCK_LEASE_SECONDS: '10' }, /15\.\.60/],
    ['an infinite lease', 'AZURE_LOCK_LEASE_SECONDS', { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: CONNECTION_STRING, AZURE_LOCK_LEASE_SECONDS: 'infinite' }, /15\.\.60/],
    ['a 100 ms wait', 'AZURE_LOCK_WAIT_MS', { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: CONNECTION_STRING, AZURE_LOCK_WAIT_MS: '100' }, /1000\.\.60000/],
  ])('%s fails naming %s', (_case, variable, env, message) => {
    const error = configErrorOf(env as NodeJS.ProcessEnv);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
    // The value is never repeated: a connection string holds the account key or a SAS.
    expect(error.message).not.toContain('SECRET-SAS');
    expect(error.message).not.toContain('Eby8vdM02xNO');
    expect(error.message).not.toContain('contosobot');
  });
});
