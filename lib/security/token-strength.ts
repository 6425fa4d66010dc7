// The rule a bearer token must meet before a deployment uses it. A token is the only thing
// between a stranger and a probe that opens connections from the deployment's network, so a
// short or patterned one (`1234`, `aaaa…`, `abcd` repeated) is refused rather than trusted.

export const MIN_TOKEN_CHARS = 32;
/** Distinct characters a token must use: a hex token of 32 characters has about 14, and fewer than 8 about once in 10 million. */
export const MIN_TOKEN_DISTINCT_CHARS = 8;

/** Why the token is too weak to use, or null when it meets the rule. Never quotes the token. */
export function tokenWeakness(token: string): string | null {
  const chars = [...token];
  if (chars.length < MIN_TOKEN_CHARS) return `SMTP_EGRESS_TOKEN is shorter than ${MIN_TOKEN_CHARS} characters`;
  if (new Set(chars).size < MIN_TOKEN_DISTINCT_CHARS) return `SMTP_EGRESS_TOKEN uses fewer than ${MIN_TOKEN_DISTINCT_CHARS} different characters`;
  // A repeated pattern has few distinct pairs of neighbours; random text has nearly as many as it has pairs.
  const pairs = new Set<string>();
  for (let i = 1; i < chars.length; i++) pairs.add(`${chars[i - 1]}${chars[i]}`);
  if (pairs.size < (chars.length - 1) / 2) return 'SMTP_EGRESS_TOKEN repeats a short pattern';
  return null;
}

export const TOKEN_ADVICE = 'set it to a long random value, e.g. the output of `openssl rand -hex 32`';
