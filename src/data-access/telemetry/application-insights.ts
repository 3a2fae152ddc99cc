/**
 * Session milestones to Application Insights as custom events (the
 * `customEvents` table), through the Azure Monitor OpenTelemetry distro.
 *
 * Only the log pipeline is used: a log record carrying the attribute
 * `microsoft.custom_event.name` is exported as a `Microsoft.ApplicationInsights.Event`
 * envelope with the other attributes as its properties (customDimensions).
 * Everything else the distro would collect is off: the bot's own HTTP traffic
 * and store calls would otherwise become requests and dependencies carrying
 * URLs and ids we do not want to ship.
 *
 * What goes out is the milestone's ids and categories (MilestoneEvent's
 * properties), never a text, a note or a name; the connection string is never
 * logged (only the ingestion host is).
 *
 * Two calls of the SDK's own have no switch and stay: the distro's Azure VM
 * resource detector asks the instance metadata service (169.254.169.254) once
 * at start, and the exporter polls its dynamic configuration (OneSettings,
 * settings.sdk.monitor.azure.com) 5 to 15 s after start, then hourly. Neither
 * carries anything of the bot's.
 */
import type * as AzureMonitor from '@azure/monitor-opentelemetry';
// Must resolve to the distro's own copy (0.221.0, deduped): the logger comes from the provider the distro registers globally.
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { NO_SINK, type MilestoneEvent, type MilestoneSink } from '../../domain/insights/milestones';
import { describeError, type Logger } from '../../logger';

export interface ApplicationInsightsTelemetry {
  sink: MilestoneSink;
  /** Flushes the exported events and stops the distro; never throws. */
  shutdown(): Promise<void>;
}

const CUSTOM_EVENT_NAME = 'microsoft.custom_event.name';
const DEFAULT_INGESTION_HOST = 'dc.services.visualstudio.com';
/** How long the shutdown waits for the last batch to be sent (the bot's whole shutdown has about 6 s). */
const FLUSH_LIMIT_MS = 3_000;

/**
 * The distro, loaded only when a connection string is set: it takes about half
 * a second to load (every bot start would pay it) and sets process-wide state.
 */
function loadDistro(): typeof AzureMonitor {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
  return require('@azure/monitor-opentelemetry') as typeof AzureMonitor;
}

/** The host events are sent to, for the logs: the connection string itself is a secret. */
function ingestionHostOf(connectionString: string): string {
  const endpoint = /(?:^|;)\s*IngestionEndpoint\s*=\s*([^;]+)/i.exec(connectionString)?.[1]?.trim();
  if (!endpoint) return DEFAULT_INGESTION_HOST;
  try {
    return new URL(endpoint).host;
  } catch {
    return 'unparsable';
  }
}

/** The event's properties as log attributes: strings only (no undefined, nothing else). */
function attributesOf(event: MilestoneEvent): Record<string, string> {
  const attributes: Record<string, string> = { [CUSTOM_EVENT_NAME]: event.name };
  for (const [key, value] of Object.entries(event.properties)) if (typeof value === 'string') attributes[key] = value;
  return attributes;
}

/**
 * The SDK's own usage reporting ("statsbeat") goes to Microsoft's endpoints, not
 * to the configured resource. In exporter 1.0.0-beta.47,
 * APPLICATIONINSIGHTS_STATSBEAT_DISABLED only drops its "non-essential" part;
 * APPLICATION_INSIGHTS_NO_STATSBEAT turns it off (and the customer SDK stats with
 * it). The exporters read these when they are made, so set them first; a value
 * the operator set is kept.
 */
function prepareEnvironment(): void {
  process.env['APPLICATIONINSIGHTS_STATSBEAT_DISABLED'] ??= 'true';
  process.env['APPLICATION_INSIGHTS_NO_STATSBEAT'] ??= 'true';
  process.env['APPLICATIONINSIGHTS_SDKSTATS_DISABLED'] ??= 'true';
  // The role name (cloud_RoleName) the events carry, so queries can pick this bot out of a shared resource.
  process.env['OTEL_SERVICE_NAME'] ??= 'azure-backup-troubleshooter';
}

export function startApplicationInsights(connectionString: string, logger: Logger): ApplicationInsightsTelemetry {
  const host = ingestionHostOf(connectionString);
  let distro: typeof AzureMonitor;
  try {
    distro = loadDistro();
    prepareEnvironment();
    const off = { enabled: false };
    distro.useAzureMonitor({
      // No offline storage: failed batches would be written to the shared temp folder and replayed by a
      // later process; the milestones are kept in the insights store anyway, so a lost batch costs little.
      azureMonitorExporterOptions: { connectionString, disableOfflineStorage: true },
      enableLiveMetrics: false,
      enableStandardMetrics: false,
      enablePerformanceCounters: false,
      browserSdkLoaderOptions: { enabled: false },
      instrumentationOptions: { http: off, azureSdk: off, mongoDb: off, mySql: off, postgreSql: off, redis: off, redis4: off, bunyan: off, winston: off, console: off },
    });
  } catch (error) {
    // Telemetry is optional: the bot runs on without it.
    logger.log('error', 'application-insights-start-failed', { host, ...describeError(error) });
    return { sink: NO_SINK, shutdown: async () => undefined };
  }
  const milestones = logs.getLogger('azure-backup-troubleshooter/milestones');
  logger.log('info', 'application-insights-started', { host });

  let emitFailed = false;
  return {
    sink: {
      emit(events) {
        // Runs at the end of a turn: a failure here is logged once and never reaches the turn.
        try {
          for (const event of events) milestones.emit({ severityNumber: SeverityNumber.INFO, attributes: attributesOf(event) });
        } catch (error) {
          if (!emitFailed) logger.log('warn', 'application-insights-emit-failed', describeError(error));
          emitFailed = true;
        }
      },
    },
    shutdown: async () => {
      // Bounded: an unreachable ingestion endpoint must not use up the bot's shutdown time (lifecycle.ts).
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), FLUSH_LIMIT_MS)));
      try {
        if ((await Promise.race([distro.shutdownAzureMonitor(), limit])) === 'timeout') logger.log('warn', 'application-insights-flush-timeout', { host, limitMs: FLUSH_LIMIT_MS });
      } catch (error) {
        logger.log('warn', 'application-insights-shutdown-failed', { host, ...describeError(error) });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
