/**
 * The trusted certificate authorities of API and token requests: Node's bundled Mozilla roots
 * (`tls.rootCertificates`), the file in `NODE_EXTRA_CA_CERTS` and the files of `datastack.caCertificates`.
 *
 * Passing `ca` to a TLS connection replaces Node's default store, which is why the bundled roots and the
 * `NODE_EXTRA_CA_CERTS` file are added here again. Files are read synchronously: they are small and read
 * only when the settings change, and a synchronous dispatcher can be built during activation.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { CertificateFileError } from '../errors';

/** The setting that lists extra CA files. */
export const CA_CERTIFICATES_SETTING = 'datastack.caCertificates';
/** The environment variable Node.js reads one extra CA file from. */
export const EXTRA_CA_CERTS_VARIABLE = 'NODE_EXTRA_CA_CERTS';

// NOTE: the operating system's trust store (VS Code's `http.systemCertificates`) is not read, because
// Node 20 has no API for it; a CA installed only there must be listed in `datastack.caCertificates`.
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** A CA file to load and where its path came from. */
export interface CertificateFile {
  readonly path: string;
  readonly source: string;
}

/**
 * Returns the PEM certificates to trust: the bundled roots followed by every certificate of `files`.
 * Returns undefined when `files` is empty, so that callers keep Node's default store.
 *
 * @throws {CertificateFileError} naming the path when a file is missing, unreadable or holds no valid certificate.
 */
export function loadTrustedCertificates(files: readonly CertificateFile[]): string[] | undefined {
  if (files.length === 0) {
    return undefined;
  }
  const extra: string[] = [];
  for (const file of files) {
    extra.push(...readCertificateFile(file));
  }
  return [...rootCertificates, ...extra];
}

/** Lists the CA files of the settings and of `NODE_EXTRA_CA_CERTS`; empty entries are skipped. */
export function certificateFiles(
  settingPaths: readonly string[] | undefined,
  env: Readonly<Record<string, string | undefined>>,
): CertificateFile[] {
  const files: CertificateFile[] = [];
  const extra = env[EXTRA_CA_CERTS_VARIABLE]?.trim();
  if (extra) {
    files.push({ path: extra, source: EXTRA_CA_CERTS_VARIABLE });
  }
  for (const path of settingPaths ?? []) {
    if (path.trim() !== '') {
      files.push({ path: path.trim(), source: CA_CERTIFICATES_SETTING });
    }
  }
  return files;
}

function readCertificateFile(file: CertificateFile): string[] {
  const path = expandHome(file.path);
  if (!isAbsolute(path)) {
    throw new CertificateFileError(file.path, file.source, 'is not an absolute path');
  }

  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = code === 'ENOENT' ? 'does not exist' : `could not be read (${typeof code === 'string' ? code : 'unknown error'})`;
    throw new CertificateFileError(file.path, file.source, reason, { cause: error });
  }

  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    throw new CertificateFileError(file.path, file.source, 'contains no PEM certificate (-----BEGIN CERTIFICATE-----)');
  }
  blocks.forEach((block, index) => {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new CertificateFileError(file.path, file.source, `contains an invalid certificate (number ${index + 1})`, {
        cause: error,
      });
    }
  });
  return blocks;
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}
