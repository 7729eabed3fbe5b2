// Offers text as a file download: a Blob behind an object URL and a transient <a download>. Works
// the same in the Electron window and in a browser on headless mode, with no IPC round trip.
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download has its own reference by now; revoking later only frees memory sooner or later.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
