// Credentials must never reach a log line or a configuration error (SPEC section 6).

/** `scheme://user:password@host` → `scheme://***@host`, greedy up to the last `@` of the authority. */
const URI_CREDENTIALS = /(\/\/)[^/?#\s"]*@/g;
/** The token of an `Authorization: Bearer <token>` header written out as text. */
const BEARER_TOKEN = /(\bBearer\s+)[^\s",;\\]+/gi;

/** The text with the credentials of any URI and any bearer token replaced by `***`. */
export function redactCredentials(text: string): string {
  return text.replace(URI_CREDENTIALS, '$1***@').replace(BEARER_TOKEN, '$1***');
}

/** Settings whose whole value is a secret: never shown, even in part. */
export function isSecretSetting(name: string): boolean {
  return /KEY|SECRET|PASSWORD|TOKEN/i.test(name);
}
