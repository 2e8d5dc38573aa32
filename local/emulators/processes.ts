import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import readline from 'node:readline';
import type { Log } from '../log.js';

/** A child process the local cloud started, and the only kind it ever stops. */
export interface Managed {
  name: string;
  child: ChildProcess;
  exited: boolean;
  stop(): Promise<void>;
}

export const pipeLines = (child: ChildProcess, onLine: (line: string, stream: 'stdout' | 'stderr') => void) => {
  if (child.stdout) readline.createInterface({ input: child.stdout }).on('line', (l) => onLine(l, 'stdout'));
  if (child.stderr) readline.createInterface({ input: child.stderr }).on('line', (l) => onLine(l, 'stderr'));
};

/** Stops one child by its pid: SIGTERM, then SIGKILL after a grace period. */
export const stopChild = (child: ChildProcess, graceMs = 3000): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });

export const startManaged = (name: string, command: string, args: string[], options: SpawnOptions, log: Log, quietOutput = true): Managed => {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const managed: Managed = { name, child, exited: false, stop: () => stopChild(child) };
  const recent: string[] = [];
  pipeLines(child, (line, stream) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    if (quietOutput) log.debug(name, line);
    else log.line(name, line, stream);
  });
  child.on('exit', (code, signal) => {
    managed.exited = true;
    // 130/143: it got the terminal's Ctrl-C or our SIGTERM, which is how it is meant to end.
    if (code !== 0 && code !== 130 && code !== 143 && signal === null) log.error(name, `exited with code ${code}\n${recent.join('\n')}`);
  });
  return managed;
};
