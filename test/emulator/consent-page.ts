/** HTML of the authorization server: the consent page and the error page. Every value is escaped. */
import { escapeHtml, htmlResponse, type EmulatorResponse } from './http';

/** Headers of every OAuth page: no caching, no framing, no scripts. */
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
};

const STYLE = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1b2a41}
h1{font-size:1.4rem}code{background:#eef1f5;padding:0 .25rem}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.75rem}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

export interface ConsentDetails {
  requestId: string;
  clientId: string;
  scopes: readonly string[];
  redirectUri: string;
  userName: string;
}

export function consentPage(details: ConsentDetails): EmulatorResponse {
  const scopeItems = details.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('');
  const body = `<h1>Sign in to DataStack</h1>
<p>The application <strong id="client-id">${escapeHtml(details.clientId)}</strong> requests access to DataStack
as <strong id="user">${escapeHtml(details.userName)}</strong> with these scopes:</p>
<ul id="scopes">${scopeItems}</ul>
<p>After your decision the browser returns to <code id="redirect-uri">${escapeHtml(details.redirectUri)}</code>.</p>
<form method="post" action="/oauth2/authorize/decision">
<input type="hidden" name="request_id" value="${escapeHtml(details.requestId)}">
<button type="submit" id="approve" name="decision" value="approve">Approve</button>
<button type="submit" id="deny" name="decision" value="deny">Deny</button>
</form>`;
  return htmlResponse(200, page('Sign in to DataStack', body), PAGE_HEADERS);
}

/** Returns the error page that replaces a redirect when the client or the redirect URI cannot be trusted. */
export function errorPage(status: number, error: string, description: string): EmulatorResponse {
  const body = `<h1>Sign-in failed</h1>
<p id="error"><code>${escapeHtml(error)}</code></p>
<p id="error-description">${escapeHtml(description)}</p>`;
  return htmlResponse(status, page('Sign-in failed', body), PAGE_HEADERS);
}
