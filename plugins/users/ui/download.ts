/** Saving text the kernel produced as a file the administrator downloads (Blob + a.download). */

/** Offer `text` as a download named `fileName`. */
export function downloadText(fileName: string, text: string, type = 'text/tab-separated-values;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The click has started the download; the URL is not needed after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
