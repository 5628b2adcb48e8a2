export {
  componentLogger,
  createLogger,
  type Logger,
  type LoggerOptions,
  silentLogger,
} from './logger.js';
export {
  type CutReason,
  type GossipDirection,
  type GossipVerdict,
  type LogAppendKind,
  type LogSkipReason,
  NodeMetrics,
  type NodeMetricsOptions,
  type OrdererLogGauges,
  type OrdererMetrics,
  type PulledAttestationOutcome,
  type RpcOutcome,
  type TtcOutcome,
} from './metrics.js';
export { type MetricSeries, metricSeries, seriesWith } from './metrics-text.js';
export {
  type ChannelHealth,
  type HealthReport,
  OpsError,
  type OpsServer,
  type OpsServerOptions,
  startOpsServer,
} from './ops-server.js';
export { type Closer, Shutdown, type ShutdownOptions } from './shutdown.js';
