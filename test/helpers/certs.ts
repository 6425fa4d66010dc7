// Certificates made for the tests with node-forge: a CA, a leaf it signs for given names, a
// self-signed leaf, an expired one. Generated once per process (RSA key generation is slow).
import forge from 'node-forge';

export interface Pem {
  key: string;
  cert: string;
}

const pki = forge.pki;
let keys: forge.pki.rsa.KeyPair | null = null;
const keyPair = () => (keys ??= pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 }));

function build(opts: { cn: string; altNames: string[]; isCa?: boolean; issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey }; notBefore?: Date; notAfter?: Date }): { cert: forge.pki.Certificate; pem: Pem } {
  const kp = keyPair();
  const cert = pki.createCertificate();
  cert.publicKey = kp.publicKey;
  cert.serialNumber = String(Math.floor(Math.random() * 1e12) + 1);
  cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - 24 * 3600_000);
  cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 365 * 24 * 3600_000);
  const subject = [{ name: 'commonName', value: opts.cn }, { name: 'organizationName', value: 'smtp-egress tests' }];
  cert.setSubject(subject);
  cert.setIssuer(opts.issuer ? opts.issuer.cert.subject.attributes : subject);
  const exts: object[] = [{ name: 'basicConstraints', cA: Boolean(opts.isCa) }];
  if (opts.isCa) exts.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true });
  else {
    exts.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true });
    exts.push({ name: 'extKeyUsage', serverAuth: true });
    exts.push({
      name: 'subjectAltName',
      altNames: opts.altNames.map((n) => (/^[\d.]+$/.test(n) || n.includes(':') ? { type: 7, ip: n } : { type: 2, value: n })),
    });
  }
  cert.setExtensions(exts);
  cert.sign(opts.issuer?.key ?? kp.privateKey, forge.md.sha256.create());
  return { cert, pem: { key: pki.privateKeyToPem(kp.privateKey), cert: pki.certificateToPem(cert) } };
}

export interface TestPki {
  ca: Pem;
  /** Signed by the CA for localhost, 127.0.0.1, ::1 and mail.test. */
  valid: Pem;
  selfSigned: Pem;
  expired: Pem;
  /** Signed by the CA, but for another name. */
  wrongHost: Pem;
}

let cached: TestPki | null = null;

export function testPki(): TestPki {
  if (cached) return cached;
  const ca = build({ cn: 'smtp-egress test CA', altNames: [], isCa: true });
  const issuer = { cert: ca.cert, key: pki.privateKeyFromPem(ca.pem.key) as forge.pki.rsa.PrivateKey };
  const names = ['localhost', '127.0.0.1', '::1', 'mail.test'];
  cached = {
    ca: ca.pem,
    valid: build({ cn: 'localhost', altNames: names, issuer }).pem,
    selfSigned: build({ cn: 'localhost', altNames: names }).pem,
    expired: build({ cn: 'localhost', altNames: names, issuer, notBefore: new Date(Date.now() - 400 * 24 * 3600_000), notAfter: new Date(Date.now() - 30 * 24 * 3600_000) }).pem,
    wrongHost: build({ cn: 'other.example', altNames: ['other.example'], issuer }).pem,
  };
  return cached;
}
