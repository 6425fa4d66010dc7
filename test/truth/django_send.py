#!/usr/bin/python3
"""django_send.py — a minimal Django app that sends ONE mail and reports.

Run with Debian's interpreter (/usr/bin/python3, where python3-django 3.2 lives),
usually inside the client netns:

    ip netns exec CLIENT_NS /usr/bin/python3 django_send.py --backend django4

Settings come from the environment, like a 12-factor app:
    EMAIL_HOST EMAIL_PORT EMAIL_USE_TLS EMAIL_USE_SSL EMAIL_HOST_USER
    EMAIL_HOST_PASSWORD EMAIL_TIMEOUT
    TRUTH_CA        CA file trusted by the django4 backend (not the system store)
    TRUTH_TOKEN     unique token put in the subject (receipt check), default random
    TRUTH_TO        recipient, default rcpt@truth.test

--backend django32  Django's stock SMTP backend as installed (Debian 3.2): no
                    certificate verification (smtplib's default unverified context).
--backend django4   subclass reproducing Django >= 4.0 EmailBackend.open()/ssl_context:
                    ssl.create_default_context() (CERT_REQUIRED + check_hostname) passed
                    as context= to SMTP_SSL and starttls(); here with cafile=TRUTH_CA.
--bool-mode proper  EMAIL_USE_TLS/SSL parsed ("1/true/yes/on" -> True, else False)
--bool-mode naive   os.environ.get("EMAIL_USE_TLS", False): any non-empty string,
                    including "False" and "0", is truthy.

Prints ONE JSON line on stdout:
  {"sent", "exception", "errno", "message", "elapsedMs", ...extra diagnostics}
"""
import argparse
import json
import os
import socket
import ssl
import sys
import time
import uuid

T0 = time.monotonic()
ATTEMPTS = []  # (ms since send_mail started, address) of every socket.connect, via audit hook


def _audit(event, args):
    if event == "socket.connect":
        try:
            addr = args[1]
            ATTEMPTS.append({"t": round((time.monotonic() - T0) * 1000), "addr": list(addr[:2])})
        except Exception:  # pragma: no cover - never break the app
            pass


sys.addaudithook(_audit)


def parse_bool(v):
    return str(v).strip().lower() in ("1", "true", "yes", "on")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=["django32", "django4"], default="django32")
    ap.add_argument("--bool-mode", choices=["proper", "naive"], default="proper")
    ap.add_argument("--gai", action="store_true", help="also report getaddrinfo order for EMAIL_HOST")
    a = ap.parse_args()

    env = os.environ
    if a.bool_mode == "naive":
        use_tls = env.get("EMAIL_USE_TLS", False)
        use_ssl = env.get("EMAIL_USE_SSL", False)
    else:
        use_tls = parse_bool(env.get("EMAIL_USE_TLS", "false"))
        use_ssl = parse_bool(env.get("EMAIL_USE_SSL", "false"))
    timeout = env.get("EMAIL_TIMEOUT")
    timeout = float(timeout) if timeout not in (None, "") else None
    token = env.get("TRUTH_TOKEN") or uuid.uuid4().hex
    cafile = env.get("TRUTH_CA")

    import django
    from django.conf import settings

    backend_path = {
        "django32": "django.core.mail.backends.smtp.EmailBackend",
        "django4": "__main__.Django4EmailBackend",
    }[a.backend]
    settings.configure(
        EMAIL_BACKEND=backend_path,
        EMAIL_HOST=env.get("EMAIL_HOST", "localhost"),
        EMAIL_PORT=int(env.get("EMAIL_PORT", "25")),
        EMAIL_USE_TLS=use_tls,
        EMAIL_USE_SSL=use_ssl,
        EMAIL_HOST_USER=env.get("EMAIL_HOST_USER", ""),
        EMAIL_HOST_PASSWORD=env.get("EMAIL_HOST_PASSWORD", ""),
        EMAIL_TIMEOUT=timeout,
        DEFAULT_FROM_EMAIL=env.get("TRUTH_FROM", "user@truth.test"),
        TRUTH_CA=cafile,
    )
    django.setup()

    out = {
        "client": a.backend,
        "boolMode": a.bool_mode,
        "django": django.get_version(),
        "python": sys.version.split()[0],
        "host": settings.EMAIL_HOST,
        "port": settings.EMAIL_PORT,
        "useTls": bool(use_tls),
        "useSsl": bool(use_ssl),
        "timeout": timeout,
        "token": token,
    }
    if a.gai:
        try:
            out["gai"] = [ai[4][0] for ai in socket.getaddrinfo(settings.EMAIL_HOST, settings.EMAIL_PORT, 0, socket.SOCK_STREAM)]
        except OSError as e:
            out["gai"] = "error: %s" % e

    from django.core.mail import send_mail

    global T0
    t = T0 = time.monotonic()  # attempts[].t is relative to the start of send_mail
    try:
        n = send_mail("truth " + token, "body " + token, None, [env.get("TRUTH_TO", "rcpt@truth.test")])
        out.update(sent=bool(n), exception=None, errno=None, message=None)
    except Exception as e:  # report everything, the harness decides
        out.update(
            sent=False,
            exception=type(e).__name__,
            exceptionModule=type(e).__module__,
            errno=getattr(e, "errno", None) if isinstance(getattr(e, "errno", None), int) else None,
            message=str(e),
        )
        code = getattr(e, "smtp_code", None)
        if code is not None:
            out["smtpCode"] = code
        if isinstance(e, ssl.SSLError):
            out["sslReason"] = getattr(e, "reason", None)
            out["verifyMessage"] = getattr(e, "verify_message", None)
    out["elapsedMs"] = round((time.monotonic() - t) * 1000)
    out["attempts"] = ATTEMPTS
    print(json.dumps(out), flush=True)
    return 0


# ---- Django >= 4.0 behaviour on top of the installed 3.2 backend ---------------------------
# django/core/mail/backends/smtp.py (4.0+):
#     @cached_property
#     def ssl_context(self):
#         if self.ssl_certfile or self.ssl_keyfile:
#             ssl_context = ssl.SSLContext(protocol=ssl.PROTOCOL_TLS_CLIENT)
#             ssl_context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile)
#             return ssl_context
#         else:
#             return ssl.create_default_context()
#     open(): if self.use_ssl: connection_params["context"] = self.ssl_context
#             ... self.connection.starttls(context=self.ssl_context)
# Only difference here: create_default_context(cafile=TRUTH_CA), so the suite's private CA
# is trusted the way a real CA from the system store would be (same verify + hostname check).
# Real Django 4+ honours SSL_CERT_FILE the same way, since create_default_context() loads the
# OpenSSL default verify paths.
try:
    from django.core.mail.backends.smtp import EmailBackend as _Base
    from django.core.mail.utils import DNS_NAME
    from django.utils.functional import cached_property

    class Django4EmailBackend(_Base):
        @cached_property
        def ssl_context(self):
            from django.conf import settings

            if self.ssl_certfile or self.ssl_keyfile:
                ctx = ssl.SSLContext(protocol=ssl.PROTOCOL_TLS_CLIENT)
                ctx.load_cert_chain(self.ssl_certfile, self.ssl_keyfile)
                return ctx
            cafile = getattr(settings, "TRUTH_CA", None)
            return ssl.create_default_context(cafile=cafile) if cafile else ssl.create_default_context()

        def open(self):
            if self.connection:
                return False
            connection_params = {"local_hostname": DNS_NAME.get_fqdn()}
            if self.timeout is not None:
                connection_params["timeout"] = self.timeout
            if self.use_ssl:
                connection_params["context"] = self.ssl_context
            try:
                self.connection = self.connection_class(self.host, self.port, **connection_params)
                if not self.use_ssl and self.use_tls:
                    self.connection.starttls(context=self.ssl_context)
                if self.username and self.password:
                    self.connection.login(self.username, self.password)
                return True
            except OSError:
                if not self.fail_silently:
                    raise

except ImportError:  # pragma: no cover - reported by main() when django is missing
    pass

if __name__ == "__main__":
    sys.exit(main())
