// Prints the README's "Mistakes it catches" list from the corpus of mistakes (test/bad-input/):
//   node --import tsx scripts/mistakes-section.ts
// bad-input-corpus.test.ts fails when the README and the corpus differ.
import { mistakesSection } from '../test/support/bad-input-corpus.js';

process.stdout.write(mistakesSection());
