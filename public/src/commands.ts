// The same request as the form, for a terminal: curl against this deployment, and the one-file
// runner (smtp-egress.mjs) for the other network. Pure functions, so tests can call them.

export interface ProbeFormInput {
  host: string;
  ports: string;
  family: 'all' | 'ipv4' | 'ipv6';
  /** The app's own port (and mode): the verdict answers for that path first. Empty: none given. */
  appPort: string;
  /** The app's mail client, whose behaviour the verdict predicts. */
  client: 'django' | 'smtplib' | 'nodemailer' | 'node';
  connectTimeoutMs: string;
  timeoutMs: string;
}

/** Quotes for a POSIX shell only when needed. */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The JSON body the page POSTs to /api/probe (empty fields left out: the server's defaults apply). */
export function probeBody(i: ProbeFormInput): Record<string, string | number> {
  const body: Record<string, string | number> = { host: i.host.trim() };
  if (i.ports.trim()) body.ports = i.ports.replace(/\s+/g, '');
  if (i.family !== 'all') body.family = i.family;
  if (i.appPort.trim()) body.appPort = i.appPort.replace(/\s+/g, '');
  if (i.client !== 'django') body.client = i.client;
  if (i.connectTimeoutMs.trim()) body.connectTimeoutMs = Number(i.connectTimeoutMs);
  if (i.timeoutMs.trim()) body.timeoutMs = Number(i.timeoutMs);
  return body;
}

export function curlCommand(origin: string, i: ProbeFormInput): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(probeBody(i))) q.set(k, String(v));
  const url = `${origin}/api/probe?${q.toString().replace(/%2C/gi, ',').replace(/%3A/gi, ':')}`;
  return `curl -sS -H "Authorization: Bearer $SMTP_EGRESS_TOKEN" ${shQuote(url)}`;
}

function cliArgs(i: ProbeFormInput): string[] {
  const args = [shQuote(i.host.trim() || 'smtp.example.com')];
  const ports = i.ports.replace(/\s+/g, '');
  if (ports) args.push('--ports', shQuote(ports));
  if (i.family !== 'all') args.push(`--${i.family}`);
  if (i.appPort.trim()) args.push('--app-port', shQuote(i.appPort.replace(/\s+/g, '')));
  if (i.client !== 'django') args.push('--client', i.client);
  if (i.connectTimeoutMs.trim()) args.push('--connect-timeout', shQuote(i.connectTimeoutMs.trim()));
  if (i.timeoutMs.trim()) args.push('--timeout', shQuote(i.timeoutMs.trim()));
  return args;
}

export function runnerCommands(origin: string, i: ProbeFormInput): string {
  const args = cliArgs(i).join(' ');
  return [
    `curl -fsSLO ${shQuote(`${origin}/smtp-egress.mjs`)}`,
    `node smtp-egress.mjs probe ${args} --json > report.json`,
  ].join('\n');
}

export function compareCommand(origin: string, i: ProbeFormInput): string {
  return `SMTP_EGRESS_TOKEN=... node smtp-egress.mjs probe ${cliArgs(i).join(' ')} --compare ${shQuote(`${origin}/api/probe`)}`;
}
