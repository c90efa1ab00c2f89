/**
 * Returns `url` only when it is an absolute http(s) URL: a framework's `webui_url` comes from the cluster
 * and must never become a `javascript:` (or any other scheme) link.
 */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
