import { createInterface } from 'node:readline/promises';
import { IdmError } from '../errors.js';

/** Asks on the terminal, Terraform-style: only "yes" goes ahead. Refuses to guess when there is no terminal. */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new IdmError('refusing to apply without confirmation: standard input is not a terminal', 'CONFIRMATION_REQUIRED', 'pass --auto-approve to apply without asking (as in CI)');
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `);
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}
