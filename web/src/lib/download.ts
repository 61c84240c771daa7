// File downloads from API answers (export): name from Content-Disposition.

/** The file name of a Content-Disposition header; `filename*` (RFC 5987) wins over `filename`. */
export function fileNameFromDisposition(header: string | null | undefined, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (star) {
    try {
      return sanitize(decodeURIComponent(star[2].trim().replace(/^"|"$/g, ''))) || fallback;
    } catch {
      /* malformed percent-encoding: fall through */
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted) return sanitize(quoted[1].replace(/\\(.)/g, '$1')) || fallback;
  const bare = /filename\s*=\s*([^;]+)/i.exec(header);
  if (bare) return sanitize(bare[1].trim()) || fallback;
  return fallback;
}

/** No directories in a suggested name. */
function sanitize(name: string): string {
  return name.replace(/[/\\]/g, '_').trim();
}

/** Saves a blob under `name` through a temporary link. */
export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
