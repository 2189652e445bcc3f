// The Penpot twin: a local stand-in for the part of Penpot's HTTP API this project uses, for tests and demos.
export { startTwin } from './server';
export { checkSeed, demoSeed, generateTokenValue, loadSeed } from './seed';
export type * from './types';
