// Where this system's PAM modules live: the directory that holds pam_unix.so. Debian/Ubuntu put it
// under the multiarch triplet (/usr/lib/x86_64-linux-gnu/security, /lib/... on unmerged /usr),
// RHEL/Fedora in /usr/lib64/security, others in /usr/lib/security. Pure: the caller passes the
// file system, so tests can use any tree.

export interface DirReader {
  /** True when the path exists (any file type). */
  exists(path: string): boolean;
  /** Entry names of a directory; [] when it cannot be read. */
  list(dir: string): string[];
  /** The path with symlinks resolved (to tell /lib from /usr/lib on merged-/usr systems). */
  realpath(path: string): string;
}

/** Debian's multiarch triplet for Node's process.arch (the module is built for the same machine). */
const TRIPLETS: Readonly<Record<string, string>> = {
  x64: 'x86_64-linux-gnu',
  arm64: 'aarch64-linux-gnu',
  arm: 'arm-linux-gnueabihf',
  ia32: 'i386-linux-gnu',
  ppc64: 'powerpc64le-linux-gnu',
  s390x: 's390x-linux-gnu',
  riscv64: 'riscv64-linux-gnu',
  loong64: 'loongarch64-linux-gnu',
};

const LIB_ROOTS = ['/usr/lib', '/lib', '/usr/lib64', '/lib64'];

/**
 * The security directories that hold pam_unix.so, best first: this machine's triplet, then the
 * lib64/lib layouts, then any other triplet found (a foreign-architecture libpam comes last).
 * Duplicates through symlinks (/lib -> /usr/lib) are listed once, under the first name.
 */
export function findSecurityDirs(fs: DirReader, arch: string = process.arch): string[] {
  const triplet = TRIPLETS[arch];
  const candidates: string[] = [];
  if (triplet) for (const root of LIB_ROOTS.slice(0, 2)) candidates.push(`${root}/${triplet}/security`);
  for (const root of LIB_ROOTS) candidates.push(`${root}/security`);
  for (const root of LIB_ROOTS.slice(0, 2)) {
    for (const entry of fs.list(root).sort()) if (/^[a-z0-9_]+-linux-[a-z0-9_]+$/.test(entry)) candidates.push(`${root}/${entry}/security`);
  }
  const seen = new Set<string>();
  const found: string[] = [];
  for (const dir of candidates) {
    if (!fs.exists(`${dir}/pam_unix.so`)) continue;
    const real = fs.realpath(dir);
    if (seen.has(real)) continue;
    seen.add(real);
    found.push(dir);
  }
  return found;
}
