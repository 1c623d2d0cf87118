// A throwaway single-node Slurm for tests: its own munged (own key and socket), slurmctld and
// slurmd, all in one temp dir, on free private ports, under a unique cluster name; never the
// packaged services. See /work/shared/notes/slurm.md for the configuration that works.
//
//   const slurm = await startSlurm();
//   const r = await slurm.sbatch(['--array=0-3', script]);   // waits for every task (sbatch --wait)
//   await slurm.stop();                                        // also after a failure
//
// Needs root (SlurmUser=root, munged run as the munge user) and the Debian packages slurm-wlm and
// munge (DEBIAN_TEST in scripts/lib/setup.sh).
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, openSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BINARIES = ['/usr/sbin/munged', '/usr/bin/munge', '/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/bin/sbatch', '/usr/bin/sinfo', '/usr/bin/scancel'];

export interface Slurm {
  readonly dir: string;
  /** Environment for Slurm client commands (SLURM_CONF). */
  readonly env: NodeJS.ProcessEnv;
  /** Run sbatch --wait --parsable with these arguments; resolves when every task has ended. */
  sbatch(args: readonly string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<{ status: number | null; stdout: string; stderr: string }>;
  /** The daemons' logs, for a failing test's message. */
  logs(): string;
  stop(): Promise<void>;
}

/** Why the Slurm tests cannot run here, or undefined when they can. */
export function slurmMissing(): string | undefined {
  if (process.geteuid?.() !== 0) return 'not root (slurmd and munged need it)';
  for (const b of BINARIES) if (!existsSync(b)) return `${b} is missing (Debian packages slurm-wlm munge)`;
  try {
    execFileSync('id', ['munge'], { stdio: 'pipe' });
  } catch {
    return 'no munge user (Debian package munge)';
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function idOf(flag: '-u' | '-g', name: string): number {
  return Number(execFileSync('id', [flag, name]).toString().trim());
}

async function waitFor(what: string, check: () => Promise<boolean>, logs: () => string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not come up within ${ms / 1000} s\n${logs()}`);
}

export async function startSlurm(): Promise<Slurm> {
  const dir = mkdtempSync(join(tmpdir(), 'pwguard-slurm-'));
  chmodSync(dir, 0o755); // munged needs every folder above its socket searchable by all
  const children: ChildProcess[] = [];
  const conf = join(dir, 'slurm.conf');
  const env = { ...process.env, SLURM_CONF: conf };
  const logs = (): string => ['munged.log', 'slurmctld.log', 'slurmd.log', 'daemons.out']
    .map((f) => join(dir, f)).filter(existsSync).map((f) => `--- ${f}\n${readFileSync(f, 'utf8').split('\n').slice(-30).join('\n')}`).join('\n');
  const slurm: Slurm = {
    dir, env,
    async sbatch(args, options = {}) {
      return new Promise((resolve, reject) => {
        const p = spawn('/usr/bin/sbatch', ['--wait', '--parsable', ...args], { cwd: options.cwd ?? dir, env: { ...env, ...options.env }, timeout: options.timeoutMs ?? 600_000 });
        let stdout = '';
        let stderr = '';
        p.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
        p.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
        p.on('error', reject);
        p.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    },
    logs,
    async stop() {
      // Jobs first (their processes belong to slurmd's steps), then the daemons we started.
      await run('/usr/bin/scancel', ['--full', '--quiet', '--partition', 'main'], { env }).catch(() => undefined);
      for (const c of children.reverse()) {
        if (c.exitCode !== null || c.signalCode !== null) continue;
        const done = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([done, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
        clearTimeout(timer);
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    const host = hostname().split('.')[0] as string;
    const munge = join(dir, 'munge');
    mkdirSync(munge, { mode: 0o755 });
    writeFileSync(join(munge, 'munge.key'), randomBytes(1024), { mode: 0o600 });
    const [uid, gid] = [idOf('-u', 'munge'), idOf('-g', 'munge')];
    chownSync(munge, uid, gid);
    chownSync(join(munge, 'munge.key'), uid, gid);
    const socket = join(munge, 'munge.socket');
    const out = join(dir, 'daemons.out');
    // Output to a file, not a pipe: slurmd's job steps inherit it and may outlive the test's handles.
    const outFd = openSync(out, 'a', 0o600);
    const daemon = (bin: string, args: string[], ids?: { uid: number; gid: number }): void => {
      children.push(spawn(bin, args, { stdio: ['ignore', outFd, outFd], env, ...(ids ?? {}) }));
    };
    daemon('/usr/sbin/munged', ['--foreground', `--socket=${socket}`, `--key-file=${join(munge, 'munge.key')}`, `--pid-file=${join(munge, 'munged.pid')}`,
      `--log-file=${join(dir, 'munged.log')}`, `--seed-file=${join(munge, 'munged.seed')}`], { uid, gid });
    await waitFor('munged', async () => existsSync(socket), logs);
    const [ctldPort, dPort] = [await freePort(), await freePort()];
    for (const d of ['state', 'spool']) mkdirSync(join(dir, d));
    writeFileSync(conf, [
      `ClusterName=pwg${randomBytes(4).toString('hex')}`,
      `SlurmctldHost=${host}`,
      'SlurmUser=root', 'SlurmdUser=root',
      'AuthType=auth/munge', 'CredType=cred/munge', `AuthInfo=socket=${socket}`,
      `SlurmctldPort=${ctldPort}`, `SlurmdPort=${dPort}`,
      `StateSaveLocation=${join(dir, 'state')}`, `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`, `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`, `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none', 'JobAcctGatherType=jobacct_gather/none',
      'SelectType=select/cons_tres', 'SelectTypeParameters=CR_Core', 'MpiDefault=none', 'ReturnToService=2',
      `NodeName=${host} CPUs=${execFileSync('nproc').toString().trim()} RealMemory=1000 State=UNKNOWN`,
      `PartitionName=main Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'));
    // 22.05 knows no CgroupPlugin=disabled; autodetect is harmless with proctrack/linuxproc.
    writeFileSync(join(dir, 'cgroup.conf'), 'CgroupPlugin=autodetect\n');
    daemon('/usr/sbin/slurmctld', ['-D', '-f', conf]);
    await waitFor('slurmctld', async () => (await run('/usr/bin/sinfo', ['-h', '-o', '%a'], { env }).catch(() => ({ stdout: '' }))).stdout.includes('up'), logs);
    daemon('/usr/sbin/slurmd', ['-D', '-f', conf]);
    closeSync(outFd);
    await waitFor('slurmd', async () => /^idle/m.test((await run('/usr/bin/sinfo', ['-h', '-o', '%T'], { env }).catch(() => ({ stdout: '' }))).stdout), logs);
    return slurm;
  } catch (err) {
    await slurm.stop();
    throw err;
  }
}
