/** One log stream for the whole local cloud: every line carries the name of what wrote it. */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Log {
  debug(source: string, message: string): void;
  info(source: string, message: string): void;
  warn(source: string, message: string): void;
  error(source: string, message: string): void;
  /** Raw output of a function process, one line at a time. */
  line(source: string, text: string, stream: 'stdout' | 'stderr'): void;
  readonly level: Level;
}

/** `LOG_LEVEL` as Powertools spells it (TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT). */
export const parseLevel = (value: string | undefined): Level => {
  switch ((value ?? '').toLowerCase()) {
    case 'trace':
    case 'debug':
      return 'debug';
    case 'warn':
    case 'warning':
      return 'warn';
    case 'error':
    case 'critical':
    case 'silent':
      return 'error';
    default:
      return 'info';
  }
};

const COLORS = [36, 32, 33, 35, 34, 96, 92, 93, 95, 94];
const colorFor = (name: string) => COLORS[[...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % COLORS.length];

export const createLog = (options: { level: Level; quiet?: boolean; write?: (text: string) => void; color?: boolean }): Log => {
  const write = options.write ?? ((t: string) => process.stdout.write(t));
  const color = options.color ?? (options.write === undefined && process.stdout.isTTY === true);
  const width = 18;
  const prefix = (source: string) => {
    const label = source.length > width ? source.slice(0, width) : source.padEnd(width);
    return color ? `\x1b[${colorFor(source)}m${label}\x1b[0m │ ` : `${label} │ `;
  };
  const emit = (level: Level, source: string, message: string) => {
    if (ORDER[level] < ORDER[options.level]) return;
    if (options.quiet && ORDER[level] < ORDER.warn) return;
    for (const l of message.split('\n')) write(`${prefix(source)}${l}\n`);
  };
  return {
    level: options.level,
    debug: (s, m) => emit('debug', s, m),
    info: (s, m) => emit('info', s, m),
    warn: (s, m) => emit('warn', s, m),
    error: (s, m) => emit('error', s, m),
    line: (s, text, stream) => {
      if (options.quiet && stream === 'stdout') return;
      if (text.trim() === '') return;
      write(`${prefix(s)}${text}\n`);
    },
  };
};
