// A file the page made (an object URL) saved by the browser under a name, as a download link would.

/** Saves the object URL `url` as the file `name`. */
export function saveFile(url: string, name: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
}
