export {
  type Ed25519Backend,
  PUBLIC_KEY_LENGTH,
  SECRET_KEY_LENGTH,
  SIGNATURE_LENGTH,
} from './ed25519.js';
export {
  HASH_LENGTH,
  type Sha256Function,
  setSha256Implementation,
  sha256,
  sha256ImplementationName,
} from './hash.js';
export { nobleEd25519 } from './noble.js';
export {
  type DomainVerifyOptions,
  domainMessage,
  getDefaultEd25519Backend,
  randomSecretKey,
  type SignatureDomain,
  type Signer,
  setDefaultEd25519Backend,
  signerFromSecret,
  verifyDomain,
  verifyStrict,
} from './signing.js';
export {
  isCanonicalPointEncoding,
  isCanonicalScalar,
  isSmallOrderEncoding,
  SMALL_ORDER_ENCODINGS,
  strictPrecheck,
} from './strict.js';
export { WEBCRYPTO_KEY_CACHE_SIZE, webCryptoEd25519 } from './webcrypto.js';
