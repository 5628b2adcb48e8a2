export { ConfigError, type ConfigErrorCode } from './errors.js';
export { type FieldFail, FieldReader, fieldPath, parseYamlText } from './fields.js';
export { type MultiaddrRules, peerIdOf, readMultiaddr } from './multiaddr.js';
export {
  type CaConfig,
  type ChannelJoin,
  DEFAULT_CA,
  DEFAULT_GOSSIP,
  DEFAULT_OPS,
  type GossipConfig,
  LOG_LEVELS,
  type LogLevel,
  NODE_ROLES,
  type NodeConfig,
  type NodeConfigInput,
  type NodeRole,
  parseNodeConfig,
  resolveNodeConfig,
  validateNodeConfig,
} from './node-config.js';
export { formatNodeConfig, loadNodeConfig, writeNodeConfig } from './node-config-file.js';
