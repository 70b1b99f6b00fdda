/**
 * GitHub Actions' job summary: a step appends markdown to the file GITHUB_STEP_SUMMARY names, and the run's page
 * shows it. idm writes it whenever the variable is set, whatever the output format, so a workflow needs no extra
 * step. It is a courtesy: failing to write it is a warning, never the command's failure.
 */
import { appendFile } from 'node:fs/promises';
import type { MarkdownOptions } from '../render/markdown.js';

/**
 * GitHub drops a step's summary over 1 MiB. The plan's diff block is cut at half that, so the page around it and a
 * second idm command in the same step still fit.
 */
export const stepSummaryDiffBytes = 512 * 1024;

export async function appendStepSummary(
  env: Readonly<Record<string, string | undefined>>,
  stderr: NodeJS.WritableStream,
  render: (options: MarkdownOptions) => string,
): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    // The blank line ends the last block, so the next step's markdown starts fresh.
    await appendFile(file, render({ maxDiffBytes: stepSummaryDiffBytes }) + '\n');
  } catch (error) {
    stderr.write(
      `warning: could not append the job summary to ${file} (GITHUB_STEP_SUMMARY): ${(error as Error).message}\n` +
        '  hint: the output above is complete; check that GITHUB_STEP_SUMMARY names a writable file, or unset it\n',
    );
  }
}
