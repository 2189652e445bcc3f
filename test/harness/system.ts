// What the harness needs from the operating system, and getting it the way `playwright install --with-deps` does:
// on Debian as root it installs the missing packages with apt-get after saying what and why; without root (or
// without apt-get) it stops at once with the exact command to run. Only Chromium is needed: code-server's one
// native module that needs system headers (kerberos, for proxy Kerberos auth only) is made optional in install.ts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface SystemPackage {
  /** Debian package name. */
  readonly name: string;
  /** Why the harness needs it, said before installing. */
  readonly reason: string;
  /** Whether what the package provides is already there (the package or a replacement the user pointed at). */
  readonly present: () => boolean;
}

/** How the harness sees the machine; injectable so the decision is testable without removing packages. */
export interface SystemProbe {
  isRoot(): boolean;
  hasAptGet(): boolean;
  /** Runs a command with inherited output; returns its exit status. */
  run(command: string, args: readonly string[]): number;
  log(line: string): void;
}

export const realSystem: SystemProbe = {
  isRoot: () => typeof process.getuid === 'function' && process.getuid() === 0,
  hasAptGet: () => existsSync('/usr/bin/apt-get'),
  run: (command, args) => {
    const result = spawnSync(command, args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return result.status ?? 1;
  },
  log: (line) => console.log(line),
};

/** Thrown when packages are missing and cannot be installed here; its message holds the command to run. */
export class MissingSystemPackagesError extends Error {}

/**
 * Makes sure every package in `needed` is present: installs the missing ones as root on Debian, else throws a
 * MissingSystemPackagesError naming the exact command. Does nothing (and runs nothing) when all are present.
 */
export function ensureSystemPackages(needed: readonly SystemPackage[], system: SystemProbe = realSystem): void {
  const missing = needed.filter((pkg) => !pkg.present());
  if (missing.length === 0) return;
  const names = missing.map((pkg) => pkg.name);
  const command = `apt-get update && apt-get install -y ${names.join(' ')}`;
  const why = missing.map((pkg) => `${pkg.name} (${pkg.reason})`).join(', ');
  if (!system.hasAptGet()) {
    throw new MissingSystemPackagesError(
      `harness: missing ${why}; this machine has no apt-get: install the equivalent with your package manager ` +
        `(for Chromium, CHROMIUM_PATH can name any Chromium binary)`,
    );
  }
  if (!system.isRoot()) {
    throw new MissingSystemPackagesError(`harness: missing ${why}; run as root: sudo sh -c '${command}'`);
  }
  system.log(`harness: installing Debian package(s) ${names.join(', ')} with apt-get — needed for: ${why}`);
  if (system.run('apt-get', ['update']) !== 0 || system.run('apt-get', ['install', '-y', ...names]) !== 0) {
    throw new MissingSystemPackagesError(`harness: apt-get could not install ${names.join(' ')}; try: ${command}`);
  }
  const stillMissing = missing.filter((pkg) => !pkg.present()).map((pkg) => pkg.name);
  if (stillMissing.length > 0) {
    throw new MissingSystemPackagesError(`harness: apt-get finished but ${stillMissing.join(', ')} is still missing`);
  }
}
