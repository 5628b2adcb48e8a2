import { WeftError } from '@weft/core';

export type MaterialErrorCode =
  /** The spec file is not YAML (syntax, duplicate keys). */
  | 'MATERIAL_SPEC_YAML'
  /** A spec field is missing, unknown, mistyped or inconsistent; `field` names it. */
  | 'MATERIAL_SPEC'
  /** Generating would overwrite material that is already there (use force). */
  | 'MATERIAL_EXISTS'
  /** A material file that should exist does not; `file` names it. */
  | 'MATERIAL_MISSING'
  /** A material file exists but could not be read or written. */
  | 'MATERIAL_IO'
  /** A secret key file is not exactly 32 bytes. */
  | 'MATERIAL_BAD_KEY'
  /** A certificate file does not decode as a canonical certificate. */
  | 'MATERIAL_BAD_CERT'
  /** A root public key file is not 64 hex digits. */
  | 'MATERIAL_BAD_ROOT'
  /** A secret key does not belong to the certificate (or root) beside it. */
  | 'MATERIAL_KEY_MISMATCH'
  /** A certificate is not signed by its org root, or sits under the wrong org. */
  | 'MATERIAL_CERT_ROOT'
  /** The channel config built from spec and material is not a valid genesis. */
  | 'MATERIAL_GENESIS'
  /** A genesis file's hash is not the trusted one the caller pinned. */
  | 'MATERIAL_GENESIS_MISMATCH';

/** Crypto material (specs, keys, certificates, genesis files) that cannot be used. */
export class MaterialError extends WeftError {
  declare readonly code: MaterialErrorCode;
  /** The spec field at fault, as a path such as `orgs[1].peers`. */
  readonly field: string | undefined;
  /** The file at fault. */
  readonly file: string | undefined;

  constructor(
    code: MaterialErrorCode,
    message: string,
    options: { field?: string; file?: string; cause?: unknown } = {},
  ) {
    super(code, message, { cause: options.cause });
    this.field = options.field;
    this.file = options.file;
  }
}

/** The `fail` for FieldReader over a network spec. */
export function specFail(field: string, problem: string): never {
  throw new MaterialError('MATERIAL_SPEC', `network spec: ${field}: ${problem}`, { field });
}
