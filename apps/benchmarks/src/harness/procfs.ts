import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux we run on). */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

export interface ProcUsage {
  /** User + system CPU time since the process started. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
}

/** CPU time and resident memory of a live process from /proc, or null once it is gone. */
export function readProcUsage(pid: number): ProcUsage | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: split after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime = field 14, stime = 15, rss = 24 (pages).
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssPages = Number(fields[21]);
    return { cpuSeconds: (utime + stime) / TICKS_PER_SECOND, rssBytes: rssPages * PAGE_BYTES };
  } catch {
    return null;
  }
}

/** CPU seconds used by the whole machine (all cores, every process) since boot, from /proc/stat. */
export function readMachineCpuSeconds(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = ticks[3] + (ticks[4] ?? 0);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

export interface ProcessFigures {
  readonly name: string;
  readonly pid: number;
  readonly cpuSeconds: number;
  /** CPU seconds per wall second over the window (1.0 = one core busy). */
  readonly cores: number;
  /** At `begin()`: with the peak and the end, shows how much the window made the process grow. */
  readonly rssStartMiB: number;
  readonly rssPeakMiB: number;
  readonly rssEndMiB: number;
}

/**
 * Samples named processes over a measurement window: CPU time is the
 * difference between the window's ends, RSS the peak of samples taken every
 * `intervalMs`. Also the whole machine's busy CPU, since the machine may be
 * shared with other work.
 */
export class ProcessMonitor {
  private readonly start = new Map<number, number>();
  private readonly rssStart = new Map<number, number>();
  private readonly peak = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private handle: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private machineStart = { busy: 0, total: 0 };

  constructor(
    private readonly processes: readonly { name: string; pid: number }[],
    private readonly intervalMs = 250,
  ) {}

  begin(): void {
    this.startedAt = performance.now();
    this.machineStart = readMachineCpuSeconds();
    for (const { pid } of this.processes) {
      const usage = readProcUsage(pid);
      this.start.set(pid, usage?.cpuSeconds ?? 0);
      this.rssStart.set(pid, usage?.rssBytes ?? 0);
      this.peak.set(pid, usage?.rssBytes ?? 0);
      this.last.set(pid, usage?.rssBytes ?? 0);
    }
    this.handle = setInterval(() => this.sample(), this.intervalMs);
  }

  end(): { wallSeconds: number; processes: ProcessFigures[]; machineBusyCores: number } {
    if (this.handle) clearInterval(this.handle);
    this.sample();
    const wallSeconds = (performance.now() - this.startedAt) / 1000;
    const machine = readMachineCpuSeconds();
    const processes = this.processes.map(({ name, pid }) => {
      const usage = readProcUsage(pid);
      const cpuSeconds = (usage?.cpuSeconds ?? 0) - (this.start.get(pid) ?? 0);
      return {
        name,
        pid,
        cpuSeconds: Math.round(cpuSeconds * 100) / 100,
        cores: Math.round((cpuSeconds / wallSeconds) * 100) / 100,
        rssStartMiB: mib(this.rssStart.get(pid) ?? 0),
        rssPeakMiB: mib(this.peak.get(pid) ?? 0),
        rssEndMiB: mib(usage?.rssBytes ?? this.last.get(pid) ?? 0),
      };
    });
    const machineBusyCores = (machine.busy - this.machineStart.busy) / wallSeconds;
    return { wallSeconds, processes, machineBusyCores: Math.round(machineBusyCores * 100) / 100 };
  }

  private sample(): void {
    for (const { pid } of this.processes) {
      const usage = readProcUsage(pid);
      if (!usage) continue;
      this.last.set(pid, usage.rssBytes);
      if (usage.rssBytes > (this.peak.get(pid) ?? 0)) this.peak.set(pid, usage.rssBytes);
    }
  }
}

function mib(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

/** `pid` and every live descendant of it (PostgreSQL's backends, a shell's children), from /proc. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = readParentPid(Number(entry));
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

function readParentPid(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * The process listening on TCP `port` in the harness's network namespace
 * (Kafka's broker, PostgreSQL's postmaster), or null: the socket's inode from
 * /proc/net/tcp{,6}, then the process holding a descriptor on it.
 */
export function listeningPid(port: number): number | null {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // fields: sl, local address (hex ip:port), remote, state (0A = LISTEN), ..., inode (index 9).
      if (fields.length > 9 && fields[3] === '0A' && parseInt(fields[1].split(':')[1], 16) === port)
        inodes.add(`socket:[${fields[9]}]`);
    }
  }
  if (inodes.size === 0) return null;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (inodes.has(readlinkSync(`/proc/${entry}/fd/${fd}`))) return Number(entry);
      } catch {
        // the descriptor closed meanwhile
      }
    }
  }
  return null;
}
