// The network issue's e2e checks on `weft up --orderer jetstream`: three
// orderer processes on a three-server NATS cluster (ports up to base+3202).
import { networkSuite } from './network-suite.js';

networkSuite({ ordering: 'jetstream', min: 16_000, max: 16_700 });
