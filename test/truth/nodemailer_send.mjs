#!/usr/bin/env node
// nodemailer_send.mjs — a minimal nodemailer app that sends ONE mail and reports.
//
// Usually run inside the client netns:
//   ip netns exec CLIENT_NS node nodemailer_send.mjs [--pkg nodemailer|nodemailer6|nodemailer7|/path/to/nodemailer]
//                                                   [--bool-mode proper|naive] [--lookup]
// Environment (like a 12-factor app):
//   SMTP_HOST SMTP_PORT SMTP_SECURE SMTP_REQUIRE_TLS SMTP_USER SMTP_PASS
//   SMTP_CONNECTION_TIMEOUT (ms)  [SMTP_GREETING_TIMEOUT SMTP_SOCKET_TIMEOUT (ms), unset = nodemailer defaults]
//   TRUTH_CA     CA file given as tls.ca (the system store is not touched)
//   TRUTH_TOKEN  unique token for the subject (receipt check), default random
//   TRUTH_TO     recipient, default rcpt@truth.test
// --bool-mode naive passes the raw env strings as secure/requireTLS ("false" is truthy)
// --lookup      also report dns.lookup({all:true}) and dns.resolve4/6 results for SMTP_HOST
//
// Prints ONE JSON line: {sent, code, errno, message, elapsedMs, ...diagnostics}
// errno is Node's value (negative, e.g. -101 for ENETUNREACH); sysCode is its name.
import { createRequire } from 'node:module';
import net from 'node:net';
import dns from 'node:dns';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const pkg = opt('--pkg', 'nodemailer');
const boolMode = opt('--bool-mode', 'proper');
const wantLookup = args.includes('--lookup');

const env = process.env;
const parseBool = v => ['1', 'true', 'yes', 'on'].includes(String(v ?? '').trim().toLowerCase());
const num = v => (v === undefined || v === '' ? undefined : Number(v));

// Record every socket nodemailer opens (plain and TLS sockets both go through
// net.Socket.prototype.connect), to report which addresses were tried.
const sockets = [];
const origConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...a) {
    const a0 = Array.isArray(a[0]) ? a[0][0] : a[0];
    const o = a0 && typeof a0 === 'object' ? a0 : {};
    sockets.push({ socket: this, t: Date.now(), host: o.host, port: o.port, autoSelectFamily: o.autoSelectFamily });
    return origConnect.apply(this, a);
};

const out = { client: 'nodemailer', pkg, boolMode, node: process.version };
const t0 = Date.now();
let nodemailer;
try {
    const require = createRequire(path.join(here, 'package.json'));
    const resolved = pkg.startsWith('/') ? pkg : require.resolve(pkg);
    nodemailer = require(resolved);
    const pj = pkg.startsWith('/') ? path.join(pkg, 'package.json') : require.resolve(pkg + '/package.json');
    out.nodemailer = JSON.parse(fs.readFileSync(pj, 'utf8')).version;
} catch (e) {
    out.sent = false;
    out.code = 'LOAD';
    out.message = String(e && e.message);
    console.log(JSON.stringify(out));
    process.exit(0);
}

const token = env.TRUTH_TOKEN || crypto.randomBytes(16).toString('hex');
const options = {
    host: env.SMTP_HOST || 'localhost',
    port: num(env.SMTP_PORT) ?? 587,
    secure: boolMode === 'naive' ? env.SMTP_SECURE : parseBool(env.SMTP_SECURE),
    requireTLS: boolMode === 'naive' ? env.SMTP_REQUIRE_TLS : parseBool(env.SMTP_REQUIRE_TLS),
    connectionTimeout: num(env.SMTP_CONNECTION_TIMEOUT),
    greetingTimeout: num(env.SMTP_GREETING_TIMEOUT),
    socketTimeout: num(env.SMTP_SOCKET_TIMEOUT),
    tls: env.TRUTH_CA ? { ca: fs.readFileSync(env.TRUTH_CA) } : undefined,
    auth: env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASS || '' } : undefined
};
for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k];
out.host = options.host;
out.port = options.port;
out.secure = options.secure;
out.requireTLS = options.requireTLS;
out.connectionTimeout = options.connectionTimeout ?? null;
out.token = token;

const log = [];
const mk = level => (...a) => {
    let [first, ...rest] = a;
    const obj = first && typeof first === 'object' ? first : null;
    if (obj) first = rest.shift();
    let msg = String(first ?? '');
    msg = msg.replace(/%[sd]/g, () => String(rest.shift()));
    if (log.length < 60) log.push({ t: Date.now() - t0, level, msg: msg.slice(0, 300) });
};
const logger = { trace: mk('trace'), debug: mk('debug'), info: mk('info'), warn: mk('warn'), error: mk('error'), fatal: mk('fatal'), level() {} };

async function lookups(host) {
    const r = {};
    try {
        r.lookup = (await dns.promises.lookup(host, { all: true })).map(a => a.address);
    } catch (e) {
        r.lookup = 'error: ' + e.code;
    }
    for (const f of [4, 6]) {
        try {
            r['resolve' + f] = await new dns.promises.Resolver({ timeout: 1000, tries: 1 })['resolve' + f](host);
        } catch (e) {
            r['resolve' + f] = 'error: ' + e.code;
        }
    }
    return r;
}

(async () => {
    if (wantLookup) out.dns = await lookups(options.host);
    const start = Date.now();
    try {
        const transporter = nodemailer.createTransport({ ...options, logger, debug: false });
        const info = await transporter.sendMail({
            from: env.TRUTH_FROM || 'user@truth.test',
            to: env.TRUTH_TO || 'rcpt@truth.test',
            subject: 'truth ' + token,
            text: 'body ' + token
        });
        out.sent = Array.isArray(info.accepted) && info.accepted.length > 0;
        out.code = null;
        out.errno = null;
        out.message = null;
        out.response = info.response;
    } catch (e) {
        out.sent = false;
        out.code = e.code ?? null;
        out.errno = typeof e.errno === 'number' ? e.errno : null;
        out.message = String(e.message);
        out.errorName = e.name;
        for (const k of ['originalCode', 'syscall', 'address', 'port', 'responseCode', 'command', 'timeoutType', 'reason']) {
            if (e[k] !== undefined) out[k] = e[k];
        }
        if (out.errno !== null) out.sysCode = Object.entries(os.constants.errno).find(([, v]) => v === Math.abs(out.errno))?.[0];
        if (Array.isArray(e.errors)) {
            out.errors = e.errors.map(x => ({ code: x.code, errno: x.errno, address: x.address, message: String(x.message) }));
        }
        if (e.cause) out.cause = String(e.cause.message || e.cause);
    }
    out.elapsedMs = Date.now() - start;
    out.attempts = sockets.map(s => ({
        t: s.t - start,
        host: s.host,
        port: s.port,
        autoSelectFamily: s.autoSelectFamily,
        tried: s.socket.autoSelectFamilyAttemptedAddresses || undefined,
        remote: s.socket.remoteAddress || undefined
    }));
    out.log = log.filter(l => l.level !== 'trace').slice(0, 25);
    console.log(JSON.stringify(out));
    process.exit(0);
})();
