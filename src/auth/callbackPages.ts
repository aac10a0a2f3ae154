/**
 * The pages the loopback listener shows in the browser after the authorization server redirected back.
 * They live in `media/auth-success.html` and `media/auth-error.html`; the error page has a `{{message}}`
 * placeholder that receives HTML-escaped text.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The HTML templates of the final pages. */
export interface CallbackPages {
  readonly success: string;
  /** Contains the placeholder {@link MESSAGE_PLACEHOLDER}. */
  readonly error: string;
}

/** The placeholder in the error page that receives the escaped message. */
export const MESSAGE_PLACEHOLDER = '{{message}}';

/** Reads `auth-success.html` and `auth-error.html` from a folder, e.g. the extension's `media` folder. */
export async function loadCallbackPages(mediaDir: string): Promise<CallbackPages> {
  const [success, error] = await Promise.all([
    readFile(join(mediaDir, 'auth-success.html'), 'utf8'),
    readFile(join(mediaDir, 'auth-error.html'), 'utf8'),
  ]);
  return { success, error };
}

/** Minimal pages used when no templates are given. */
export const FALLBACK_PAGES: CallbackPages = {
  success: '<!DOCTYPE html><meta charset="utf-8"><title>DataStack</title><p>You are signed in. You can close this tab.</p>',
  error: `<!DOCTYPE html><meta charset="utf-8"><title>DataStack</title><p>Sign-in failed: ${MESSAGE_PLACEHOLDER}</p>`,
};

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes the five HTML-significant characters so the text renders as text in element content and attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** Renders the error page with `message` escaped. Every placeholder occurrence is replaced. */
export function renderErrorPage(pages: CallbackPages, message: string): string {
  return pages.error.split(MESSAGE_PLACEHOLDER).join(escapeHtml(message));
}
