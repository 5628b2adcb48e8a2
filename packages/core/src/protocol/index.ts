export * from './attestation-pull.js';
export * from './enroll.js';
export * from './gossip.js';
export * from './hello.js';
export * from './ids.js';
export * from './light.js';
export * from './messages.js';
