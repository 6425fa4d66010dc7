// Log prefixes: what a log pipeline (Render, Heroku, Fly, docker compose, logcat, syslog) puts
// before the program's own text. They are stripped before anything is matched, and the ones that
// only one platform writes tell where the logs come from.

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

interface Prefix {
  re: RegExp;
  /** The platform this prefix proves, when only one platform writes it. */
  platform?: string;
}

/** Stripped repeatedly, in this order, until none matches (a timestamp, then a service id...). */
const PREFIXES: readonly Prefix[] = [
  // RFC 5424 syslog, as a Render log stream delivers it: <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD
  { re: /^<\d{1,3}>1 \S+ (?:srv|crn|wrk)-[a-z0-9]{6,}\S* \S+ \S+ \S+ (?:-|\[[^\]]*\])(?: |$)/, platform: 'render' },
  { re: /^<\d{1,3}>1 \S+ \S+ \S+ \S+ \S+ (?:-|\[[^\]]*\])(?: |$)/ },
  { re: /^<\d{1,3}>/ },
  // ISO 8601 timestamps: `2026-11-20T10:00:00.000Z `, `[2026-11-20 10:00:00,123] `, Go's `2021/12/13 04:04:49 `
  { re: /^\[?\d{4}[-/]\d{2}[-/]\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z| ?[+-]\d{2}:?\d{2}| ?UTC)?\]?(?:[ \t]|$)/ },
  // The dashboard's `Nov 20 10:00:00 AM `
  { re: /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2},? (?:\d{4} )?\d{1,2}:\d{2}:\d{2}(?:\.\d+)?(?: ?[AP]M)?(?:[ \t]|$)/ },
  // Render service and instance ids: `srv-d1a2b3c4d5e6f7 `, `[srv-d1a2b3c4d5e6f7-x8k2p]`
  { re: /^\[?(?:srv|crn|wrk|dpg|red|evg)-[a-z0-9]{6,}(?:-[a-z0-9]{3,})?\]?(?:[ \t]|$)/, platform: 'render' },
  // Render's own build and deploy messages: `==> Deploying...`
  { re: /^==> ?/, platform: 'render' },
  // Heroku's dyno and router sources: `app[web.1]: `, `heroku[router]: `
  { re: /^(?:app|heroku)\[[\w.-]+\]:? ?/, platform: 'heroku' },
  // Fly's `app[9080e3c7] iad [info] `
  { re: /^app\[[0-9a-f]{6,}\] [a-z]{3} \[\w+\] ?/, platform: 'fly' },
  // docker compose: `web-1  | `, `bookwyrm-web-1             | `
  { re: /^[\w.-]+[-_]\d+\s+\| ?/ },
  // docker build (BuildKit): `#9 0.329 `
  { re: /^#\d+ \d+\.\d+ / },
  // Android logcat: `08-21 10:18:24.578 6358-6386/com.example W/System.err: `
  { re: /^\[? ?(?:\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+ +\d+-\d+\/\S+ )?[VDIWEF]\/[\w.]+: ?/ },
  // systemd journal style `python[9406]: `
  { re: /^[a-z][\w.-]*\[\d+\]: / },
];

/** Text anywhere in a line that only Render's logs carry. */
const RENDER_TEXT = /\/opt\/render\/|\.onrender\.com\b|\bRENDER_(?:SERVICE|INSTANCE|GIT|EXTERNAL)_\w+/;
const HEROKU_TEXT = /\/app\/\.heroku\/|\.herokuapp\.com\b|\bheroku\[router\]/;

export interface Stripped {
  text: string;
  /** The platform the line's prefixes or paths prove, if any. */
  platform: string | null;
}

/** `lookForPlatform: false` once the platform is known: the paths need not be searched again. */
export function stripLogPrefixes(raw: string, lookForPlatform = true): Stripped {
  let text = raw.includes('\u001b') ? raw.replace(ANSI, '') : raw;
  let platform: string | null = null;
  for (let round = 0; round < 6; round += 1) {
    let m: RegExpExecArray | null = null;
    let p: Prefix | undefined;
    for (p of PREFIXES) {
      m = p.re.exec(text);
      if (m) break;
    }
    if (!m || !p) break;
    platform ??= p.platform ?? null;
    text = text.slice(m[0].length);
  }
  if (lookForPlatform && !platform && RENDER_TEXT.test(text)) platform = 'render';
  if (lookForPlatform && !platform && HEROKU_TEXT.test(text)) platform = 'heroku';
  return { text, platform };
}
