// Prints the README's exit-code table from src/core/exit-codes.ts (test/cli.test.ts checks the README has it):
//   node --import tsx scripts/exit-codes-table.ts
import { exitCodeTable } from '../src/core/exit-codes.js';

process.stdout.write(exitCodeTable());
