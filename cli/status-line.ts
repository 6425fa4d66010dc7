// A live status line on stderr while something waits (pending probe attempts and their phase,
// the remote probe, a send-test connecting), redrawn in place each tick and erased before any
// other line is written or when the wait ends. Drawn only when stderr is a terminal: a pipe or
// a log file gets only the lines that stay.
import type { CliIo } from './io.ts';

/** How often the line is redrawn (the seconds left count down). */
export const STATUS_TICK_MS = 250;
const ERASE = '\r\u001b[2K';

export interface StatusLine {
  /** Prints a line that stays (above the status line). */
  print: (line: string) => void;
  /** Erases the status line and stops redrawing it. */
  stop: () => void;
}

export function startStatusLine(io: CliIo, text: () => string, enabled: boolean): StatusLine {
  if (!enabled || !io.stderrIsTty) return { print: (line) => io.stderr(line), stop: () => {} };
  // One column short of the edge: a line that exactly fills the terminal makes some wrap.
  const room = Math.max(20, (io.stderrColumns ?? 80) - 1);
  let shown = false;
  const draw = () => {
    const t = text();
    io.stderr(`${ERASE}${t.length > room ? `${t.slice(0, room - 1)}…` : t}`);
    shown = true;
  };
  const erase = () => {
    if (shown) io.stderr(ERASE);
    shown = false;
  };
  const timer = setInterval(draw, STATUS_TICK_MS);
  timer.unref();
  draw();
  return {
    print: (line) => {
      erase();
      io.stderr(line);
      draw();
    },
    stop: () => {
      clearInterval(timer);
      erase();
    },
  };
}

/** "12 s left" from a deadline in ms since the epoch. */
export const secondsLeft = (deadline: number, now = Date.now()) => `${Math.max(0, Math.ceil((deadline - now) / 1000))} s left`;
