/**
 * Sizes as Hadoop and the JVM write them: 512m, 2g, 64k, or plain bytes.
 * Returns undefined for text that is not a size. Shared by the CLI and by
 * bin/loghive.js, which sizes V8's heap from --memory before the CLI loads.
 */
export function parseSizeBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([kmgt]?)b?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * unit);
}
