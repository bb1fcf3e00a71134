// A throwaway certificate authority for TLS tests, made with Debian's openssl as a hall's IT
// would make theirs: a P-256 CA (CA:TRUE), and server certificates it signs for 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface TestCa {
  certFile: string;
  keyFile: string;
  /** Signs a server certificate for 127.0.0.1 / localhost; returns its cert and key files. */
  serverCert(name: string): Promise<{ certFile: string; keyFile: string }>;
  /** Signs the CSR (PEM text) as a CA admin would with `openssl x509 -req`; returns the certificate (PEM). */
  signCsr(csrPem: string, name: string): Promise<string>;
}

export function opensslSkip(): string | false {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'openssl not installed (apt-get install openssl)';
  }
}

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

export async function makeTestCa(dir: string, name: string): Promise<TestCa> {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const sign = async (csrFile: string, out: string, ext: string) => {
    const extFile = `${out}.ext`;
    await writeFile(extFile, ext);
    openssl(['x509', '-req', '-in', csrFile, '-CA', certFile, '-CAkey', keyFile, '-set_serial', String(Date.now()), '-days', '30', '-sha256', '-extfile', extFile, '-out', out]);
  };
  return {
    certFile,
    keyFile,
    async serverCert(server) {
      const key = join(dir, `${server}.key`);
      const csr = join(dir, `${server}.csr`);
      const cert = join(dir, `${server}.pem`);
      openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${server}`]);
      await sign(csr, cert, 'subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\n');
      return { certFile: cert, keyFile: key };
    },
    async signCsr(csrPem, device) {
      const csr = join(dir, `${device}.csr`);
      const cert = join(dir, `${device}.crt`);
      await writeFile(csr, csrPem);
      await sign(csr, cert, 'extendedKeyUsage = clientAuth\n');
      return openssl(['x509', '-in', cert]);
    },
  };
}
