export { type DefaultSpecOptions, defaultNetworkSpec, defaultSpecInput } from './default-spec.js';
export { MaterialError, type MaterialErrorCode } from './errors.js';
export {
  CERT_FILE,
  KEY_FILE,
  MANIFEST_FILE,
  ORGS_DIR,
  ROOT_KEY_FILE,
  ROOT_PUB_FILE,
  readCertFile,
  readRootPubFile,
} from './files.js';
export {
  type GenerateMaterialOptions,
  generateMaterial,
  type ManifestMember,
  type ManifestOrg,
  type MaterialManifest,
  memberNames,
} from './generate.js';
export {
  buildChannelConfig,
  type ChannelConfigOptions,
  type ChannelGenesis,
  type ChannelGenesisOptions,
  createChannelGenesis,
  readGenesisFile,
} from './genesis.js';
export {
  type LoadedMember,
  type LoadMemberOptions,
  loadMember,
  loadOrgRoot,
  loadOrgRootSigner,
  type OrgRoot,
} from './member.js';
export {
  type ChannelSpec,
  findChannelSpec,
  loadNetworkSpec,
  type NetworkSpec,
  ORG_KINDS,
  type OrgKind,
  type OrgSpec,
  type ParseSpecOptions,
  parseNetworkSpec,
  validateNetworkSpec,
} from './spec.js';
export { formatNetworkSpec } from './spec-format.js';
export { defaultPolicies } from './spec-policies.js';
