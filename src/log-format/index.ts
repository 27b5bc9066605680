export * from './log-format.js';
export * from './level-words.js';
export * from './program-formats.js';
export * from './log-level.js';
