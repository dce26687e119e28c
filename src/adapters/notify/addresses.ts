/**
 * The email address grammar of the crisis email channel, shared by start-up validation (src/config.ts) and the
 * SMTP notifier. Deliberately narrower than RFC 5322: a dot-atom local part and a host name (letters, digits,
 * hyphens, dots; a single label such as `localhost` is allowed), no quoted local parts, comments or IDN. A
 * narrow grammar is also what keeps CR/LF and header syntax out of the addresses the notifier sends to.
 * Pure: no imports, so config.ts can use it without loading nodemailer.
 */

const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const ADDRESS = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*@${LABEL}(?:\\.${LABEL})*$`);

export const DEFAULT_SMTP_FROM = 'Wellflow crisis alerts <crisis-alerts@localhost>';

export interface Mailbox {
  /** Display name, '' when none. */
  name: string;
  address: string;
}

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && ADDRESS.test(value);
}

/** `a@x.org, b@y.org` → ['a@x.org', 'b@y.org']; blanks between commas are dropped. */
export function splitAddressList(value: string): string[] {
  return value
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
}

/**
 * `Name <address>` or a bare `address`. The display name may hold any printable text except `<`, `>` and line
 * breaks (nodemailer quotes and encodes it). Undefined when the value is neither.
 */
export function parseMailbox(value: string): Mailbox | undefined {
  const v = value.trim();
  if (isEmailAddress(v)) return { name: '', address: v };
  const m = /^([^<>\r\n]*?)\s*<([^<>\s]+)>$/.exec(v);
  if (!m || !isEmailAddress(m[2]!)) return undefined;
  const name = m[1]!.trim().replace(/^"(.*)"$/, '$1');
  return /[\p{Cc}]/u.test(name) ? undefined : { name, address: m[2]! };
}
