import { WeftError } from '@weft/core';

/** Why an endorser refused a proposal, or a gateway could not get it ordered. */
export class PeerError extends WeftError {}
