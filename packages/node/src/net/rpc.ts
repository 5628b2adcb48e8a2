// Request/response over libp2p streams with Weft's framing (PROTOCOLS.md):
// the server side registers handlers, the client side calls them.

export {
  type CallOptions,
  callProtocol,
  type DialTarget,
  type StreamCallOptions,
  streamProtocol,
} from './rpc-client.js';
export {
  type Misbehaviour,
  type RpcAccess,
  type RpcContext,
  type RpcHandler,
  type RpcResponse,
  type ServeOptions,
  serveProtocol,
} from './rpc-server.js';
