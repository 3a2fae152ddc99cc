/**
 * A process's CPU time (user + system) from /proc/<pid>/stat, in milliseconds:
 * CPU per turn says what a turn costs even when other processes share the
 * cores, where turns per second also measure the neighbours. Linux only;
 * elsewhere undefined.
 */
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

export function cpuTimeMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) are counted from its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const userTicks = Number(fields[11]);
    const systemTicks = Number(fields[12]);
    return ((userTicks + systemTicks) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
