export { run } from './main.js';
export type { CliIo } from './io.js';
