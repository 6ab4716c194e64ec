/** The file name a download's `Content-Disposition` gives (`filename*` first), never a path; undefined when none. */
export const fileNameFromDisposition = (contentDisposition: string | null): string | undefined => {
  const header = contentDisposition ?? '';
  const encoded = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)?.[1];
  if (encoded) {
    try {
      const name = decodeURIComponent(encoded.trim());
      if (name) return name;
    } catch {
      // Badly encoded: the plain name below.
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/.exec(header);
  const name = (plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2])?.trim();
  // Only a file name, never a path.
  return name && !/[\\/]/.test(name) ? name : undefined;
};

/** Saves a blob under `name` through a temporary link, as the browser saves any download. */
export const saveBlob = (blob: Blob, name: string) => {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL; it can go once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
};
