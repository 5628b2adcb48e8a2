// The network issue's e2e checks on a `weft up` network ordered by one solo orderer.
import { networkSuite } from './network-suite.js';

networkSuite({ ordering: 'solo', min: 20_000, max: 23_000 });
