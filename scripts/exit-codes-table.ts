// Prints the README's exit-code table from src/cli/exit-codes.ts (test/cli.test.ts checks the README has it):
//   node --import tsx scripts/exit-codes-table.ts
import { exitCodeTable } from '../src/cli/exit-codes.js';

process.stdout.write(exitCodeTable());
