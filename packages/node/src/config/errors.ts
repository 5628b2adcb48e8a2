import { WeftError } from '@weft/core';

export type ConfigErrorCode =
  /** The file is not YAML (syntax, duplicate keys). */
  | 'NODE_CONFIG_YAML'
  /** A field is missing, unknown, mistyped or inconsistent; `field` names it. */
  | 'NODE_CONFIG_FIELD'
  /** The file could not be read or written. */
  | 'NODE_CONFIG_IO'
  /** Writing would replace an existing config file (use force). */
  | 'NODE_CONFIG_EXISTS';

/**
 * A node config file (`weft node start --config node.yaml`) that cannot be
 * used. Not core's ConfigError, which rejects channel configs: codes here
 * start with NODE_CONFIG_.
 */
export class ConfigError extends WeftError {
  declare readonly code: ConfigErrorCode;
  /** The field at fault, as a path such as `channels[0].genesisHash`. */
  readonly field: string | undefined;
  readonly file: string | undefined;

  constructor(
    code: ConfigErrorCode,
    message: string,
    options: { field?: string; file?: string; cause?: unknown } = {},
  ) {
    super(code, message, { cause: options.cause });
    this.field = options.field;
    this.file = options.file;
  }
}
