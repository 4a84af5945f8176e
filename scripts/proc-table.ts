import { readFileSync, readdirSync } from "node:fs";

/** One process as /proc/<pid>/stat says (Linux only). */
export interface ProcessRow {
  ppid: number;
  /** The executable's name (`node`, `postgres`, `temporal`…). */
  comm: string;
  /**
   * CPU milliseconds: its own user + system time and that of its children already ended and
   * reaped (PostgreSQL's backends in the postmaster's), so time does not vanish when a process exits.
   */
  cpuMs: number;
}

const TICK_MS = 1000 / 100; // USER_HZ on Linux

/** Every process now: pid → parent, name and CPU time. A process that ends while read is left out. */
export function processTable(): Map<number, ProcessRow> {
  const table = new Map<number, ProcessRow>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      // After the name: state, ppid, …; utime, stime, cutime and cstime are the 12th to 15th.
      const f = stat.slice(close + 2).split(" ");
      table.set(Number(entry), {
        ppid: Number(f[1]),
        comm: stat.slice(stat.indexOf("(") + 1, close),
        cpuMs: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS,
      });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** Whether `pid` is `root` or one of its descendants in `table`. */
export function isUnder(table: Map<number, ProcessRow>, pid: number, root: number): boolean {
  for (let p: number | undefined = pid; p && p > 1; p = table.get(p)?.ppid) if (p === root) return true;
  return false;
}

/** A process's resident memory in bytes (0 once it has ended). */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** User+system and total CPU milliseconds of the whole machine so far (/proc/stat). */
export function machineCpuMs(): { busy: number; total: number } {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: (total - cpu[3] - cpu[4]) * TICK_MS, total: total * TICK_MS };
}
