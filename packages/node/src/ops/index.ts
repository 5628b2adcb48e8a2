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
  NodeMetrics,
  type NodeMetricsOptions,
  type PulledAttestationOutcome,
  type RpcOutcome,
} from './metrics.js';
export {
  type ChannelHealth,
  type HealthReport,
  OpsError,
  type OpsServer,
  type OpsServerOptions,
  startOpsServer,
} from './ops-server.js';
export { type Closer, Shutdown, type ShutdownOptions } from './shutdown.js';
