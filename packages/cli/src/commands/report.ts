// pwguard report merge: join the JSON reports of the shards of one audit (--shard K/N).
import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { checkOutputPath } from '@pwguard/files';
import { asReport, AUDIT_STATUS, exitStatusHelp, formatReport, mergeReports, MergeError, newShareKeyText, type ReportFormat } from '@pwguard/audit';
import { EXIT, UserError } from '../errors.js';
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
are named in the merged report's problems. When every shard ran with the same --share-key, accounts
sharing a password across shards get the shared_password finding (as in one unsharded run); merge
itself needs no key. Exit status, from the merged report (as pwguard audit):
${exitStatusHelp()}

Example:
  pwguard report merge audit-*.json --output audit.json`)
    .action((files: string[], opts: MergeOptions) => {
      process.exitCode = runMerge(files, opts);
    });
  report
    .command('new-key')
    .description('Write a new per-audit share key (32 random bytes, hex) for `pwguard audit --shard K/N --share-key FILE`.')
    .argument('<file>', 'key file to create (mode 0600)')
    .addHelpText('after', `
Give the same key file to every shard of one audit (never on the command line), and delete it
once the reports are merged: with the key, the digests in the shard reports can be tested against
guesses. A new audit gets a new key, so digests of two audits cannot be linked.
Exit status: 0 written, 2 error.

Example:
  pwguard report new-key ~/.pwguard/audit-2026-12.key`)
    .action((file: string) => {
      if (existsSync(file)) throw new UserError(`${file}: already exists; a new audit gets a new key file (delete the old one once its reports are merged)`);
      checkOutputPath(file, { inputs: [], what: 'share key' });
      writePrivateFile(file, newShareKeyText(), [], 'share key');
      process.exitCode = EXIT.ok;
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
