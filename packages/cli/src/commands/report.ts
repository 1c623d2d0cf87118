// pwguard report merge: join the JSON reports of the shards of one audit (--shard K/N).
import { Command, Option } from 'commander';
import { checkOutputPath } from '@pwguard/files';
import { asReport, AUDIT_STATUS, exitStatusHelp, formatReport, mergeReports, MergeError, type ReportFormat } from '@pwguard/audit';
import { UserError } from '../errors.js';
import { readTextFile, writePrivateFile } from '../io.js';

interface MergeOptions {
  format?: ReportFormat;
  output?: string;
}

export function registerReport(program: Command): void {
  const report = program.command('report').description('Work with audit reports.');
  report
    .command('merge')
    .description('Join the JSON reports of the shards of one audit (pwguard audit --shard K/N --format json).')
    .argument('<files...>', 'JSON reports, one per shard')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv', 'html']).default('json'))
    .option('-o, --output <file>', 'write the merged report to FILE (created mode 0600)')
    .addHelpText('after', `
Every account must appear in exactly one report, and each shard K/N at most once; missing shards
are named in the merged report's problems. Exit status, from the merged report (as pwguard audit):
${exitStatusHelp()}

Example:
  pwguard report merge audit-*.json --output audit.json`)
    .action((files: string[], opts: MergeOptions) => {
      process.exitCode = runMerge(files, opts);
    });
}

export function runMerge(files: readonly string[], opts: MergeOptions): number {
  if (opts.output) checkOutputPath(opts.output, { inputs: files, what: 'report' });
  const reports = files.map((where) => ({ report: asReportFile(where), where }));
  let merged;
  try {
    merged = mergeReports(reports);
  } catch (err) {
    if (err instanceof MergeError) throw new UserError(err.message);
    throw err;
  }
  const text = formatReport(merged, opts.format ?? 'json');
  if (opts.output) writePrivateFile(opts.output, text, files);
  else process.stdout.write(text);
  return AUDIT_STATUS[merged.status].exit;
}

function asReportFile(where: string): ReturnType<typeof asReport> {
  const text = readTextFile(where, 'report');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UserError(`${where}: not valid JSON (was it written with --format json?)`);
  }
  try {
    return asReport(value, where);
  } catch (err) {
    if (err instanceof MergeError) throw new UserError(err.message);
    throw err;
  }
}
