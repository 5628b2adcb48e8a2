import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { ConfigError } from './errors.js';
import { type NodeConfig, parseNodeConfig } from './node-config.js';

const MAX_CONFIG_BYTES = 1 << 20;

/** Reads and validates a node config file; relative paths in it are relative to the file. */
export async function loadNodeConfig(file: string): Promise<NodeConfig> {
  const abs = resolve(file);
  let text: string;
  try {
    const bytes = await readFile(abs);
    if (bytes.length > MAX_CONFIG_BYTES) throw new Error(`larger than ${MAX_CONFIG_BYTES} bytes`);
    text = bytes.toString('utf8');
  } catch (err) {
    throw new ConfigError('NODE_CONFIG_IO', `${abs}: ${(err as Error).message}`, {
      file: abs,
      cause: err,
    });
  }
  try {
    return parseNodeConfig(text, { baseDir: dirname(abs) });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError(err.code, `${abs}: ${err.message}`, {
      field: err.field,
      file: abs,
      cause: err,
    });
  }
}

/** A path as written in a file at `baseDir`: relative when it can be, so a node folder can move. */
function portable(path: string, baseDir: string): string {
  const rel = relative(baseDir, path);
  return rel === '' ? '.' : isAbsolute(rel) ? path : rel;
}

/** The YAML text of a config as a file in `baseDir` would hold it (parses back to `config`). */
export function formatNodeConfig(config: NodeConfig, options: { baseDir: string }): string {
  const { baseDir } = options;
  const gossip: Record<string, unknown> = { ...config.gossip };
  if (config.gossip.staticLeader === null) delete gossip.staticLeader;
  const data = {
    name: config.name,
    dataDir: portable(config.dataDir, baseDir),
    identity: portable(config.identity, baseDir),
    listen: config.listen,
    ops: config.ops,
    log: config.log.pretty === null ? { level: config.log.level } : config.log,
    channels: config.channels.map((c) => ({
      name: c.name,
      genesis: portable(c.genesis, baseDir),
      ...(c.genesisHash === null ? {} : { genesisHash: c.genesisHash }),
      roles: c.roles,
      ...(c.orderers === null ? {} : { orderers: c.orderers }),
      ...(c.natsServers === null ? {} : { natsServers: c.natsServers }),
    })),
    bootstrap: config.bootstrap,
    gossip,
    ...(config.ca ? { ca: { ...config.ca, orgDir: portable(config.ca.orgDir, baseDir) } } : {}),
  };
  return `# weft node config (generated); see \`weft node start --help\`\n${stringify(data, { lineWidth: 0 })}`;
}

/** Writes a generated config; refuses to replace an existing file unless `force`. */
export async function writeNodeConfig(options: {
  file: string;
  config: NodeConfig;
  force?: boolean;
}): Promise<void> {
  const abs = resolve(options.file);
  const text = formatNodeConfig(options.config, { baseDir: dirname(abs) });
  try {
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, text, { flag: options.force ? 'w' : 'wx' });
  } catch (err) {
    const exists = (err as NodeJS.ErrnoException).code === 'EEXIST';
    throw new ConfigError(
      exists ? 'NODE_CONFIG_EXISTS' : 'NODE_CONFIG_IO',
      `${abs}: ${exists ? 'already exists (use force)' : (err as Error).message}`,
      { file: abs, cause: err },
    );
  }
}
