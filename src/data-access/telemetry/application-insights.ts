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
 */
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
// The same copy (0.221.0) as the distro's: the logger provider it registers globally is only visible to a matching api-logs.
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

/** The host events are sent to, for the logs: the connection string itself is a secret. */
export function ingestionHostOf(connectionString: string): string {
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
  try {
    prepareEnvironment();
    const off = { enabled: false };
    useAzureMonitor({
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
      try {
        await shutdownAzureMonitor();
      } catch (error) {
        logger.log('warn', 'application-insights-shutdown-failed', { host, ...describeError(error) });
      }
    },
  };
}
